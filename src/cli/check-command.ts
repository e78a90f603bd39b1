import type { Command } from 'commander';
import { collect, type ContextFactory } from './options.js';

export function registerCheck(program: Command, context: ContextFactory): void {
  program
    .command('check')
    .description(
      'lint drafts: front matter, description length, brief links and keywords, notes vs log, <think> and placeholder text, empty sections',
    )
    .argument('[paths...]', 'drafts or folders of drafts (default: the drafts folder)')
    .option('--json', 'print the problems as JSON on stdout')
    .option(
      '--style',
      'also check the prose: repeated words, passive voice, simpler words, readability, AI tells (severities: check.style in the config)',
    )
    .option(
      '--source <url|path>',
      'trace the figures of any post to this source (repeatable); drafts made with sources use their snapshots',
      collect,
    )
    .option('--allow-private-sources', 'allow source URLs on loopback or private networks')
    .option('--refresh-sources', 'fetch sources again instead of using their saved snapshots')
    .option('--require <field>', 'another front-matter field every draft must have (repeatable)', collect)
    .option('--config <file>', 'config file (default: ./draft.config.json), for the drafts folder')
    .action(async (paths: string[], options, cmd: Command) => {
      const { runCheck } = await import('../commands/check.js');
      await runCheck(paths, options, await context(cmd.optsWithGlobals()));
    });
}
