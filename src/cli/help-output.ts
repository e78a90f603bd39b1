import type { Command } from 'commander';

/**
 * Help is at most this wide, also on a wider terminal: lines stay readable, and the top-level help the
 * build renders at this width (dist/help.json, printed by bin/draft.js without loading the CLI) is the
 * same text everywhere but on a narrower terminal.
 */
export const HELP_WIDTH = 80;

/** Commander's help at most HELP_WIDTH wide; on a narrower terminal, as wide as the terminal. */
export function configureHelpOutput(program: Command): Command {
  const defaults = program.configureOutput();
  return program.configureOutput({
    getOutHelpWidth: () => Math.min(HELP_WIDTH, defaults.getOutHelpWidth!() || HELP_WIDTH),
    getErrHelpWidth: () => Math.min(HELP_WIDTH, defaults.getErrHelpWidth!() || HELP_WIDTH),
  });
}
