import type { Command } from 'commander';
import { collect, providerOptions, type ContextFactory } from './options.js';
import * as defaults from '../core/defaults.js';

export function registerChat(program: Command, context: ContextFactory): void {
  providerOptions(
    program
      .command('chat')
      .argument('<file>', 'a Markdown post (from `draft new` or written by hand)')
      .summary('direct a post in plain words: each turn a planned, previewed, undoable revision')
      .description(
        'direct a post in plain words, one sentence a turn. The model turns each sentence into a plan of revise\n' +
          'operations (sections with a focus or an instruction, titles, a link, SEO, a new section), or asks back when\n' +
          'it is ambiguous; the plan is checked and shown, then run exactly as `draft revise` runs it: a diff, a\n' +
          'confirmation, history for undo. On a terminal it is a `> ` prompt; `undo`, `history`, `diff` and `quit` are\n' +
          'understood there and in --say. Exit codes: 0 done, 1 the model failed or the budget ran out, 2 bad input or a\n' +
          'refused plan (in --say mode), 130 interrupted (the file as it was before the turn).',
      )
      .option('--say <text>', 'a turn, as the editor would type it (repeatable; for scripts and CI)', collect)
      .option('--pick <n>', 'in a turn that proposes titles: take proposal N without asking')
      .option('--author <name>', 'the editor’s name, for the collaboration log')
      .option('--max-cost <usd>', 'start no turn once the session has spent this many US dollars')
      .option(
        '--concurrency <n>',
        `model calls in flight at once (default ${defaults.DEFAULT_CONCURRENCY}, at most ${defaults.MAX_CONCURRENCY})`,
      )
      .option('--max-tokens <n>', 'cap on each reply’s length')
      .option('-y, --yes', 'apply each turn without asking')
      .option('--dry-run', 'show the plans and diffs and write nothing'),
  ).action(async (file: string, options, cmd: Command) => {
    const { runChat } = await import('../commands/chat.js');
    // --yes skips the confirmations; on a terminal without --say the `> ` prompt still asks for the turns.
    await runChat(file, options, await context({ ...cmd.optsWithGlobals(), yes: Boolean(options.yes && options.say?.length) }));
  });
}
