#!/usr/bin/env node
import { fstatSync, readFileSync, statSync, writeSync } from 'node:fs';

// `draft --help` prints the help the build rendered from the same program (dist/help.json, see
// scripts/bundle.mjs) without loading the CLI: commander and every command's flags were most of what
// it cost over bare node. Not when a later build (`npx tsc`) is newer than it, and not on a terminal
// narrower than the help, which commander wraps to its width.
function printBuiltHelp() {
  const help = new URL('../dist/help.json', import.meta.url);
  let text;
  try {
    if (statSync(help).mtimeMs < statSync(new URL('../dist/cli.js', import.meta.url)).mtimeMs) return false;
    const built = JSON.parse(readFileSync(help, 'utf8'));
    // Not a character device (a pipe, a file): not a terminal, and process.stdout, which would load
    // Node's net modules for a pipe, is not needed. A character device is a terminal or /dev/null.
    if (fstatSync(1).isCharacterDevice() && process.stdout.isTTY && !(process.stdout.columns >= built.width)) return false;
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
  const { main } = await import('../dist/cli.js');
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
