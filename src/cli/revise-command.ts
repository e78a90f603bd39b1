import type { Command } from 'commander';
import { collect, providerOptions, type ContextFactory } from './options.js';
import * as defaults from '../core/defaults.js';

export function registerRevise(program: Command, context: ContextFactory): void {
  providerOptions(
    program
      .command('revise')
      .argument('<file>', 'a Markdown post (from `draft new` or written by hand)')
      .summary('revise a post as an editor directs: a diff first, history and undo after')
      .description(
        'revise a post as an editor directs: section by section, a diff before anything is written, history for `draft undo`.\n' +
          'Sections are revised when --section names them, or every section when --focus/--instruction are the whole request;\n' +
          'alongside --title, --add-section, --link or --seo they guide those requests instead.\n' +
          'Exit codes: 0 done (or nothing to change), 1 the model failed or replied with something unusable, or the file\n' +
          'changed on disk meanwhile (the proposal is kept in .draft/proposed/ at the project root), ' +
          '2 bad input, options or a read-only file, 130 interrupted.',
      )
      .option('--focus <name>', 'a focus preset: finance, seo, technical, concise, general-audience, or your own (`draft focus list`)')
      .option(
        '--section <heading>',
        'revise only this section, any heading level (repeatable; case-insensitive, a unique start is enough; ' +
          '"Heading#2" or @N by position; "introduction" is the text before the first heading)',
        collect,
      )
      .option('--instruction <text>', 'what to change, in your words, e.g. “add market analysis; emphasise competitor impacts”')
      .option('--title', 'propose new titles (the whole post is sent) and pick one')
      .option('--titles <n>', `how many titles --title proposes (default ${defaults.DEFAULT_TITLE_COUNT})`)
      .option('--pick <n>', 'with --title: take proposal N without asking (for scripts)')
      .option('--rename', 'with --title: also change the slug and rename the file (never over another file)')
      .option('--add-section <heading>', 'draft a new section; by default it goes before the conclusion')
      .option('--after <heading>', 'with --add-section: put it after this section')
      .option('--link <"Title=URL">', 'work a link into the most relevant section, in prose')
      .option('--fix-style', 'revise only the sections `draft check --style` flags, each told its problems; the log says which were fixed')
      .option(
        '--seo',
        `improve the description (≤ ${defaults.DESCRIPTION_LIMIT} characters) and keyword placement in title, headings and introduction`,
      )
      .option('--keyword <k>', 'with --seo or --title: a keyword (repeatable; default: the front matter’s keywords)', collect)
      .option(
        '--source <url|path>',
        'a source for this revision’s figures (repeatable); ' + 'the post’s recorded sources are used too',
        collect,
      )
      .option('--allow-private-sources', 'allow source URLs on loopback or private networks')
      .option('--skip-bad-sources', 'revise without a source that cannot be fetched or read, and say so')
      .option('--refresh-sources', 'fetch sources again instead of using their saved snapshots')
      .option('--author <name>', 'the editor’s name, for the collaboration log')
      .option(
        '--concurrency <n>',
        `model calls in flight at once (default ${defaults.DEFAULT_CONCURRENCY}, at most ${defaults.MAX_CONCURRENCY})`,
      )
      .option('--max-tokens <n>', 'cap on each reply’s length')
      .option('-y, --yes', 'apply the revision without asking')
      .option('--dry-run', 'show the diff and write nothing')
      .option('--json', 'print the result as JSON on stdout'),
  ).action(async (file: string, options, cmd: Command) => {
    const { runRevise } = await import('../commands/revise.js');
    await runRevise(file, options, await context({ ...cmd.optsWithGlobals(), yes: options.yes }));
  });
}
