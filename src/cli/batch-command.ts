import type { Command } from 'commander';
import { providerOptions, type ContextFactory } from './options.js';

export function registerBatch(program: Command, context: ContextFactory): void {
  providerOptions(
    program
      .command('batch')
      .description('draft every brief of a manifest (YAML/JSON list or {defaults, briefs}, JSONL, or a folder of brief files), resumably')
      .argument('<manifest>', 'briefs.yaml, briefs.json, briefs.jsonl, or a folder of brief files')
      .option('--concurrency <n>', 'model calls in flight at once, across all drafts (default 4)')
      .option('--out <dir>', 'folder for drafts named <id>.md (default: drafts); a brief’s `output` overrides it')
      .option('--report <file>', 'write a JSON report: one entry per brief, and totals')
      .option('--dry-run', 'print the plan (drafts, requests, tokens, cost) and send nothing')
      .option('--shard <i/n>', 'take the i-th of n stable shares of the briefs (by id), e.g. one per CI job')
      .option('--max-cost <usd>', 'start no draft that would take the spend past this many US dollars')
      .option('--fail-fast', 'start no new draft after the first failure')
      .option('--force', 'redo drafts that already exist (replacing them)')
      .option('--skip-invalid', 'draft the valid briefs even when some are invalid')
      .option('--no-cache', 'neither read nor write the response cache')
      .option('--cache-dir <dir>', 'response cache folder (default: $DRAFT_CACHE_DIR or $XDG_CACHE_HOME/draft/responses)')
      .option('--max-tokens <n>', 'cap on each reply’s length')
      .option('--notes-heading <text>', 'heading of the generated notes (default “Collaboration notes”)'),
  ).action(async (manifest: string, options, cmd: Command) => {
    const { runBatchCommand } = await import('../commands/batch.js');
    await runBatchCommand(manifest, options, await context({ ...cmd.optsWithGlobals(), yes: true }));
  });
}
