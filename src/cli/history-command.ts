import type { Command } from 'commander';
import type { ContextFactory } from './options.js';

export function registerHistory(program: Command, context: ContextFactory): void {
  program
    .command('history')
    .argument('<file>', 'a post draft has revised')
    .description('list the versions draft kept of a post (in .draft/history/ at the project root) and what changed each time')
    .option('--json', 'print the entries as JSON on stdout')
    .action(async (file: string, options, cmd: Command) => {
      const { runHistory } = await import('../commands/history.js');
      await runHistory(file, options, await context(cmd.optsWithGlobals()));
    });
}
