import type { Command } from 'commander';
import { providerOptions, type ContextFactory } from './options.js';
import * as defaults from '../core/defaults.js';

export function registerBatch(program: Command, context: ContextFactory): void {
  providerOptions(
    program
      .command('batch')
      .description('draft every brief of a manifest (YAML/JSON list or {defaults, briefs}, JSONL, or a folder of brief files), resumably')
      .argument('<manifest>', 'briefs.yaml, briefs.json, briefs.jsonl, or a folder of brief files')
      .option(
        '--concurrency <n>',
        `model calls in flight at once, across all drafts (default ${defaults.DEFAULT_CONCURRENCY}, at most ${defaults.MAX_CONCURRENCY})`,
      )
      .option(
        '--out <dir>',
        `folder for the drafts (default: ${defaults.DEFAULT_OUT_DIR}); each is <id>.md, the config’s fileName with {slug} = id, or the brief’s \`output\` inside it`,
      )
      .option('--report <file>', 'write a JSON report: one entry per brief, and totals')
      .option('--dry-run', 'print the estimate (drafts, requests, tokens, cost) and send nothing')
      .option('--shard <i/n>', 'take the i-th of n stable shares of the briefs (by id), e.g. one per CI job')
      .option('--max-cost <usd>', 'start no draft that would take the spend past this many US dollars')
      .option('--fail-fast', 'start no new draft after the first failure')
      .option('--force', 'redo drafts that already exist (replacing them)')
      .option('--skip-invalid', 'draft the valid briefs even when some are invalid')
      .option('--no-cache', 'neither read nor write the response cache')
      .option('--cache-dir <dir>', 'response cache folder (default: $DRAFT_CACHE_DIR or $XDG_CACHE_HOME/draft/responses)')
      .option('--max-tokens <n>', 'cap on each reply’s length')
      .option('--allow-private-sources', 'allow source URLs on loopback or private networks')
      .option('--skip-bad-sources', 'draft without a source that cannot be fetched or read, and say so')
      .option('--refresh-sources', 'fetch sources again instead of using their saved snapshots')
      .option('--strict-sources', 'fail a draft whose figures stay untraced after one redraft')
      .option('--strict-outline', 'fail a draft whose outline has another number of sections than its brief asks for')
      .option('--notes-heading <text>', `heading of the generated notes (default “${defaults.DEFAULT_NOTES_HEADING}”)`)
      .option(
        '--provider-batch',
        'send each stage (outlines, sections, link repairs) as one provider Batch API job: half price, resumable from .draft/batches/',
      )
      .option(
        '--poll-interval <seconds>',
        `with --provider-batch: first wait between job status checks (default ${defaults.DEFAULT_POLL_INTERVAL_SECONDS}; grows to 60)`,
      ),
  )
    .addHelpText('after', HELP)
    .action(async (manifest: string, options, cmd: Command) => {
      // The provider thread boots and loads the SDK while the command's own modules load (thread-host.ts);
      // not for a run that sends nothing, goes through the Batch API, or names the in-process engine.
      const { startProviderThread } = await import('../core/provider/thread-host.js');
      const needsNoThread = options.dryRun || options.providerBatch || options.provider === 'local' || options.modelPath !== undefined;
      const thread = needsNoThread ? undefined : startProviderThread({ debug: Boolean(cmd.optsWithGlobals().debug) });
      try {
        const { runBatch } = await import('../commands/batch.js');
        await runBatch(manifest, options, await context({ ...cmd.optsWithGlobals(), yes: true }), thread);
      } finally {
        await thread?.close();
      }
    });
  registerBatchJobs(program.commands.find((c) => c.name() === 'batch')!, context);
}

/** `draft batch status|cancel` (provider-batch runs) and `draft batch report merge` (CI fleets). */
function registerBatchJobs(batch: Command, context: ContextFactory): void {
  providerOptions(
    batch
      .command('status')
      .description('the saved --provider-batch runs; with a manifest, its jobs as the provider sees them now')
      .argument('[manifest]', 'the manifest the run drafts')
      .option('--shard <i/n>', 'the shard the run drafts'),
  ).action(async (manifest: string | undefined, options, cmd: Command) => {
    const { runBatchStatus } = await import('../commands/batch-jobs.js');
    await runBatchStatus(manifest, options, await context({ ...cmd.optsWithGlobals(), yes: true }));
  });
  providerOptions(
    batch
      .command('cancel')
      .description('cancel the unfinished provider jobs of a --provider-batch run (answers already made are kept)')
      .argument('<manifest>', 'the manifest the run drafts')
      .option('--shard <i/n>', 'the shard the run drafts'),
  ).action(async (manifest: string, options, cmd: Command) => {
    const { runBatchCancel } = await import('../commands/batch-jobs.js');
    await runBatchCancel(manifest, options, await context({ ...cmd.optsWithGlobals(), yes: true }));
  });
  batch
    .command('report')
    .description('work with batch reports')
    .command('merge')
    .description('merge shard reports into one: checks one manifest, full coverage, no brief twice; writes one step summary')
    .argument('<reports...>', 'the report.json of each shard')
    .requiredOption('-o, --out <file>', 'the merged report')
    .option('--manifest <file>', 'the manifest to check coverage against (default: the one the reports name)')
    .action(async (reports: string[], options, cmd: Command) => {
      const { runBatchReportMerge } = await import('../commands/batch-report-merge.js');
      await runBatchReportMerge(reports, options, await context({ ...cmd.optsWithGlobals(), yes: true }));
    });
}

const HELP = `
Manifest:
  A brief has the fields of \`draft new --brief\` (topic, direction, audience, tone, words, sections, title,
  keepTitle, keywords, links, author) plus optional id, output and model. In {defaults, briefs}, a brief's
  own field replaces the default's (lists are not merged). Every brief is checked before anything is sent.

Where drafts go:
  <out>/<id>.md (or the config's fileName pattern with {slug} = the id), or the brief's output: a path
  inside <out>, relative to it, ending in .md, .markdown or .mdx (anything else is refused). The id is the brief's id,
  else its file name (folder manifests), else a slug of its title or topic. The path is known before any
  request, so a draft that exists is skipped without spending (--force redoes it), and a re-run after a
  failure or Ctrl-C does only what is missing. Each draft is written under a lock file (.<name>.lock beside
  it), so two runs on one manifest never write the same draft twice; a lock left by a dead process on this
  machine is taken over.

Response cache:
  Replies are kept in $DRAFT_CACHE_DIR, else $XDG_CACHE_HOME/draft/responses, else ~/.cache/draft/responses,
  keyed by provider, base URL, model, messages, schema, max tokens and temperature (never the API key).
  \`draft cache path\` prints the folder (cache it between CI jobs), \`draft cache clear\` empties it.

Budget:
  --max-cost starts a draft only if spend so far, plus the estimates of drafts in flight, plus its own
  estimate stay within it; a draft may still come in above its estimate. It needs a known price for every
  model used (built in, or "prices" in draft.config.json): otherwise it is refused (exit 2).

Exit codes: 0 all done (skipped drafts count as done), 1 some drafts failed or the budget / --fail-fast
stopped the run, 2 invalid manifest or usage (nothing sent), 130 interrupted (the report is still written).
With GITHUB_ACTIONS set, failures become ::error annotations and a table is added to $GITHUB_STEP_SUMMARY.
`;
