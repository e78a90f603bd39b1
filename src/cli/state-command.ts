import type { Command } from 'commander';
import type { ContextFactory } from './options.js';

export function registerState(program: Command, context: ContextFactory): void {
  const state = program
    .command('state')
    .description("where a post's log, hashes and usage live: its front matter, or a sidecar in .draft/state/");
  state
    .command('move')
    .argument('<file>', 'a post draft has written')
    .requiredOption('--to <place>', 'sidecar (.draft/state/<path>.json at the project root) or front-matter (the draft_state key)')
    .option('--json', 'print the result as JSON on stdout')
    .action(async (file: string, options, cmd: Command) => {
      const { runStateMove } = await import('../commands/state.js');
      await runStateMove(file, options, await context(cmd.optsWithGlobals()));
    });
}
