import type { Command } from 'commander';
import type { ContextFactory } from './options.js';

export function registerPublish(program: Command, context: ContextFactory): void {
  program
    .command('publish')
    .argument('<file>', 'a post to publish')
    .description(
      "publish a post the site generator's way: `draft check` first, then `draft: false` (Jekyll: _drafts/x.md → _posts/<date>-x.md);\n" +
        'logged as "published", the notes regenerated, the previous version kept for `draft undo`',
    )
    .option('--date <now>', 'set the date to now')
    .option('--force', 'publish even when `draft check` finds problems')
    .option('--author <name>', 'the editor who publishes, for the log')
    .option('-y, --yes', 'publish without asking')
    .option('--dry-run', 'show the diff and write nothing')
    .option('--strip-state', "move the post's log and hashes out of its front matter into .draft/state/ (a sidecar)")
    .option('--json', 'print the result as JSON on stdout')
    .option('--config <file>', 'config file (default: the nearest draft.config.json above the post)')
    .action(async (file: string, options, cmd: Command) => {
      const { runPublish } = await import('../commands/publish.js');
      await runPublish(file, options, await context(cmd.optsWithGlobals()));
    });
}
