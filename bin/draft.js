#!/usr/bin/env node
// CommonJS (bin/package.json): `draft --help` below needs no ES module loader, ~6 ms of a process that
// is otherwise as short as bare node. The CLI is the bundle (dist/cli.cjs, CommonJS, compiled with a code
// cache: bin/compile-cache.js) or tsc's ES modules (dist/cli.js), whichever was built last.
const { fstatSync, readFileSync, statSync, writeSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');

/** The newer of the bundle's entry and tsc's, so a later `npx tsc` runs, and a later `npm run build`. */
function entry() {
  const bundled = statSync(join(dist, 'cli.cjs'), { throwIfNoEntry: false });
  const compiled = statSync(join(dist, 'cli.js'), { throwIfNoEntry: false });
  if (bundled && !(compiled && compiled.mtimeMs > bundled.mtimeMs)) return { file: join(dist, 'cli.cjs'), mtimeMs: bundled.mtimeMs };
  return { file: join(dist, 'cli.js'), mtimeMs: compiled ? compiled.mtimeMs : 0 };
}

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
function printBuiltHelp(cli) {
  const help = join(dist, 'help.json');
  let text;
  try {
    if (statSync(help).mtimeMs < cli.mtimeMs) return false;
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
const cli = entry();
if (!(args.length === 1 && (args[0] === '--help' || args[0] === '-h') && printBuiltHelp(cli))) {
  // Source maps cost a read per file at load, so they are turned on only for --debug, whose stack traces
  // then name src/ files and lines; Node maps only what it compiles itself, so --debug runs without the cache.
  const debug = args.includes('--debug');
  if (debug) process.setSourceMapsEnabled(true);
  const exit = (code) => {
    process.exitCode = code;
  };
  if (cli.file.endsWith('.cjs')) {
    if (!debug) require('./compile-cache.js').installCompileCache(dist);
    require(cli.file).main(process.argv).then(exit);
  } else {
    import('../dist/cli.js').then(({ main }) => main(process.argv)).then(exit);
  }
}
