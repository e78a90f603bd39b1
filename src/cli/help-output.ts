import { fstatSync, writeSync } from 'node:fs';
import type { Command } from 'commander';

/**
 * Help is at most this wide, also on a wider terminal: lines stay readable, and the top-level help the
 * build renders at this width (dist/help.txt, printed by bin/draft.js without loading the CLI) is the
 * same text everywhere but on a narrower terminal.
 */
export const HELP_WIDTH = 80;

/**
 * How the program writes help and version text. Without a terminal it goes to fd 1 directly:
 * creating `process.stdout` for a pipe or a file loads Node's net and stream modules, a measurable part
 * of what a piped `draft new --help` costs (bench/fixed-cost.ts). A terminal keeps commander's own
 * stream, which knows its width.
 */
export function configureHelpOutput(program: Command): Command {
  const defaults = program.configureOutput();
  // Not tty.isatty: node:tty itself loads net. A character device may be a terminal (or /dev/null);
  // either way commander's stream decides.
  let terminal: boolean | undefined;
  const maybeTerminal = () => {
    try {
      terminal ??= fstatSync(1).isCharacterDevice();
    } catch {
      terminal = true;
    }
    return terminal;
  };
  return program.configureOutput({
    writeOut: (text) => (maybeTerminal() ? defaults.writeOut!(text) : writeToFd1(text)),
    getOutHelpWidth: () => Math.min(HELP_WIDTH, (maybeTerminal() && defaults.getOutHelpWidth!()) || HELP_WIDTH),
    getErrHelpWidth: () => Math.min(HELP_WIDTH, defaults.getErrHelpWidth!() || HELP_WIDTH),
    // Without a terminal commander would only strip colours from help that has none.
    getOutHasColors: () => maybeTerminal() && defaults.getOutHasColors!(),
  });
}

function writeToFd1(text: string): void {
  let rest = Buffer.from(text);
  try {
    while (rest.length > 0) rest = rest.subarray(writeSync(1, rest));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A non-blocking pipe that is full: the stream waits for it.
    if (code === 'EAGAIN') process.stdout.write(rest);
    // The reader has gone (`draft --help | head -1`): nothing is left to say.
    else if (code !== 'EPIPE') throw error;
  }
}
