import type { Command } from 'commander';
import { providerOptions, type ContextFactory } from './options.js';

export function registerBatch(program: Command, context: ContextFactory): void {
  providerOptions(
    program
      .command('batch')
      .description('draft every brief of a manifest (YAML/JSON list or {defaults, briefs}, JSONL, or a folder of brief files), resumably')
      .argument('<manifest>', 'briefs.yaml, briefs.json, briefs.jsonl, or a folder of brief files')
      .option('--concurrency <n>', 'model calls in flight at once, across all drafts (default 4, at most 32)')
      .option('--out <dir>', 'folder for the drafts (default: drafts); each is <id>.md, the config’s fileName with {slug} = id, or the brief’s `output` inside it')
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
      .option('--strict-outline', 'fail a draft whose outline has another number of sections than its brief asks for')
      .option('--notes-heading <text>', 'heading of the generated notes (default “Collaboration notes”)')
      .option('--provider-batch', 'send each stage (outlines, sections, link repairs) as one provider Batch API job: half price, resumable from .draft/batches/')
      .option('--poll-interval <seconds>', 'with --provider-batch: first wait between job status checks (default 5; grows to 60)'),
  )
    .addHelpText('after', HELP)
    .action(async (manifest: string, options, cmd: Command) => {
    const { runBatchCommand } = await import('../commands/batch.js');
    await runBatchCommand(manifest, options, await context({ ...cmd.optsWithGlobals(), yes: true }));
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
