#!/usr/bin/env node
// CommonJS (bin/package.json): `draft --help` below needs no ES module loader, ~6 ms of a process that
// is otherwise as short as bare node; the CLI itself is ES modules, loaded by import() after it.
const { fstatSync, readFileSync, statSync, writeSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');

/**
 * Whether stdout is a terminal, without creating process.stdout for a pipe, a file or /dev/null
 * (which loads Node's net or stream modules): only a character device other than /dev/null can be one.
 */
function onTerminal() {
  const out = fstatSync(1);
  if (!out.isCharacterDevice()) return false;
  try {
    if (out.rdev === statSync('/dev/null').rdev) return false;
  } catch {
    // No /dev/null (Windows): the stream knows.
  }
  return Boolean(process.stdout.isTTY);
}

// `draft --help` prints the help the build rendered from the same program (dist/help.json, see
// scripts/bundle.mjs) without loading the CLI: commander and every command's flags were most of what
// it cost over bare node. Not when a later build (`npx tsc`) is newer than it, and not on a terminal
// narrower than the help, which commander wraps to its width.
function printBuiltHelp() {
  const help = join(dist, 'help.json');
  let text;
  try {
    if (statSync(help).mtimeMs < statSync(join(dist, 'cli.js')).mtimeMs) return false;
    const built = JSON.parse(readFileSync(help, 'utf8'));
    if (onTerminal() && !(process.stdout.columns >= built.width)) return false;
    text = Buffer.from(built.text);
  } catch {
    return false;
  }
  try {
    while (text.length > 0) text = text.subarray(writeSync(1, text));
  } catch (error) {
    // A full non-blocking pipe waits in the stream; a reader that has gone (`| head -1`) needs no more.
    if (error.code === 'EAGAIN') process.stdout.write(text);
    else if (error.code !== 'EPIPE') throw error;
  }
  return true;
}

const args = process.argv.slice(2);
if (!(args.length === 1 && (args[0] === '--help' || args[0] === '-h') && printBuiltHelp())) {
  // dist/cli.js is the esbuild bundle after `npm run build`, or tsc's output after `npx tsc` (both write
  // that name, so the last build is the one that runs). Source maps cost a read per file at load, so they
  // are turned on only for --debug, whose stack traces then name src/ files and lines.
  if (args.includes('--debug')) process.setSourceMapsEnabled(true);
  import('../dist/cli.js')
    .then(({ main }) => main(process.argv))
    .then((code) => {
      process.exitCode = code;
    });
}
