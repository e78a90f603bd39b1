import type { Command } from 'commander';
import type { ContextFactory } from './options.js';

export function registerFocus(program: Command, context: ContextFactory): void {
  const focus = program.command('focus').description('focus presets for `draft revise --focus`');
  focus
    .command('list')
    .description('show the focus presets: name, one-line description, and where each comes from (built-in, project, user)')
    .option('--json', 'print them as JSON on stdout')
    .action(async (options, cmd: Command) => {
      const { runFocusList } = await import('../commands/focus.js');
      await runFocusList(options, await context(cmd.optsWithGlobals()));
    });
}
