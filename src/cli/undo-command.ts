import type { Command } from 'commander';
import type { ContextFactory } from './options.js';

export function registerUndo(program: Command, context: ContextFactory): void {
  program
    .command('undo')
    .argument('<file>', 'a post draft has revised')
    .description(
      'restore the version before the last revision, byte for byte; repeat to go further back.\n' +
        'The undo is recorded too: `draft undo FILE --to N` brings back the version saved by history entry N (e.g. to undo an undo).',
    )
    .option('--to <n>', 'restore the version saved by history entry N (see `draft history FILE`)')
    .option('--dry-run', 'show the diff and write nothing')
    .option('--json', 'print the result as JSON on stdout')
    .action(async (file: string, options, cmd: Command) => {
      const { runUndo } = await import('../commands/undo.js');
      await runUndo(file, options, await context(cmd.optsWithGlobals()));
    });
}
