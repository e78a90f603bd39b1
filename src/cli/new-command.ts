import type { Command } from 'commander';
import { collect, providerOptions, type ContextFactory } from './options.js';
import * as defaults from '../core/defaults.js';

export function registerNew(program: Command, context: ContextFactory): void {
  providerOptions(
    program
      .command('new')
      .description('write a new draft from a brief: outline, then sections, then drafts/<slug>.md')
      .option('--brief <file>', 'YAML or JSON brief (flags override its fields)')
      .option('--topic <text>', 'what the post is about (required)')
      .option('--direction <text>', "the editor's angle, e.g. “focus on the financial and business implications”")
      .option('--audience <text>', 'who the post is for')
      .option('--tone <text>', 'e.g. analytical, conversational')
      .option(
        '--language <tag>',
        "the post's language and spelling, a BCP 47 tag: en-GB, de, es (config `language`; default: the model's choice, usually English)",
      )
      .option('--words <n>', `target length in words (default ${defaults.DEFAULT_WORDS})`)
      .option('--sections <n>', `number of sections after the introduction (default ${defaults.DEFAULT_SECTIONS})`)
      .option('--title <text>', 'a working title; the model may refine it')
      .option('--keep-title', 'use --title exactly')
      .option('--keyword <k>', 'SEO keyword (repeatable)', collect)
      .option('--link <"Title=URL">', 'a link the post must cite (repeatable)', collect)
      .option('--source <url|path>', 'a page, Markdown/text file or PDF the post’s figures must come from (repeatable)', collect)
      .option('--allow-private-sources', 'allow source URLs on loopback or private networks')
      .option('--skip-bad-sources', 'draft without a source that cannot be fetched or read, and say so')
      .option('--refresh-sources', 'fetch sources again instead of using their saved snapshots')
      .option('--strict-sources', 'revise a section once when a figure in it cannot be traced to a source; fail if any remains')
      .option('--author <name>', 'the editor’s name, for the front matter and the notes')
      .option('--out <dir>', `output folder (default: ${defaults.DEFAULT_OUT_DIR})`)
      .option(
        '--file-name <pattern>',
        `file name pattern: {slug}, {date}, {year}, {month}, {day}, ending in .md, .markdown or .mdx (default ${defaults.DEFAULT_FILE_NAME_PATTERN})`,
      )
      .option('--force', 'overwrite an existing file instead of adding a numeric suffix')
      .option(
        '--concurrency <n>',
        `model calls in flight at once (default ${defaults.DEFAULT_CONCURRENCY}, at most ${defaults.MAX_CONCURRENCY})`,
      )
      .option('--max-tokens <n>', 'cap on each reply’s length')
      .option('--strict-outline', 'fail when the model’s outline has another number of sections than --sections')
      .option('--notes-heading <text>', `heading of the generated notes (default “${defaults.DEFAULT_NOTES_HEADING}”)`)
      .option('-y, --yes', 'ask nothing: accept the outline as generated')
      .option('--dry-run', 'print the requests that would be sent, with token estimates; send nothing')
      .option('--json', 'print the result as JSON on stdout'),
  ).action(async (options, cmd: Command) => {
    const { runNew } = await import('../commands/new.js');
    await runNew(options, await context({ ...cmd.optsWithGlobals(), yes: options.yes }));
  });
}
