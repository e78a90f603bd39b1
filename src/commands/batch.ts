import { dirname, relative, resolve } from 'node:path';
import { siteOptions } from '../core/site/site-schema.js';
import * as z from 'zod';
import { findProjectRoot } from '../core/project-root.js';
import { sourceSettingsFrom } from '../core/sources/source-settings.js';
import { batchBudget } from '../core/batch/budget.js';
import { estimateDryRun } from '../core/batch/dry-run-estimate.js';
import { annotation, appendStepSummary, batchAnnotations, inGitHubActions, stepSummary } from '../core/batch/github-actions.js';
import { loadBatch } from '../core/batch/load-batch.js';
import { entryLocation, type ManifestEntry } from '../core/batch/load-manifest.js';
import { modelKey, pricingOf, settingsByModel } from '../core/batch/model-settings.js';
import { estimateTable } from '../core/batch/estimate-table.js';
import { totalsLine } from '../core/batch/progress-text.js';
import {
  batchFailureCode,
  batchFailureMessage,
  buildReport,
  invalidEntry,
  invalidManifestEntries,
  relativePath,
  writeReport,
  type ReportedRun,
} from '../core/batch/report.js';
import { draftBatch, type BatchOutcome } from '../core/batch/draft-batch.js';
import { parseShard, type Shard } from '../core/batch/shard.js';
import type { BatchItem, InvalidItem } from '../core/batch/validate-manifest.js';
import {
  ConcurrencySchema,
  concurrencyFrom,
  loadConfigFile,
  MaxTokensSchema,
  notesHeadingFrom,
  outDirFrom,
  type LoadedConfig,
} from '../core/config.js';
import { draftTemplateProblems, outputFolderProblems, symlinkEscapeProblems } from '../core/output-preflight.js';
import { loadDraftTemplates, type DraftTemplates } from '../core/drafting/generate-draft.js';
import { BatchFailedError, UsageError } from '../core/errors.js';
import { sharedLimit } from '../core/provider/limited.js';
import { redactUrl, secretsInEnv } from '../core/provider/redact.js';
import { defaultCacheDir, withResponseCache } from '../core/provider/response-cache.js';
import { allOverHttp, createOnThread, type ProviderThread } from '../core/provider/thread-host.js';
import type { ChatProvider, ProviderSettings } from '../core/provider/types.js';
import { check, flagName, positiveNumber, problemsError } from '../core/validation.js';
import { liveDisplay, showWrittenDrafts } from '../ui/batch-display.js';
import type { CommandContext } from './context.js';
import { checkProviderOptions, openProvider, resolveSettings, type ProviderOptions } from './shared/provider-options.js';

const BatchOptionsSchema = z.object({
  out: z.string().min(1).optional(),
  report: z.string().min(1).optional(),
  dryRun: z.boolean().default(false),
  shard: z.string().optional(),
  maxCost: positiveNumber('US dollars').optional(),
  failFast: z.boolean().default(false),
  force: z.boolean().default(false),
  skipInvalid: z.boolean().default(false),
  cache: z.boolean().default(true),
  cacheDir: z.string().min(1).optional(),
  concurrency: ConcurrencySchema.optional(),
  maxTokens: MaxTokensSchema.optional(),
  notesHeading: z.string().min(1).optional(),
  strictOutline: z.boolean().optional(),
  allowPrivateSources: z.boolean().optional(),
  skipBadSources: z.boolean().optional(),
  refreshSources: z.boolean().optional(),
  strictSources: z.boolean().optional(),
  providerBatch: z.boolean().default(false),
  pollInterval: positiveNumber('seconds').optional(),
});
type BatchOptions = z.output<typeof BatchOptionsSchema>;

export interface Prepared {
  options: BatchOptions;
  concurrency: number;
  providerOptions: ProviderOptions;
  loaded: LoadedConfig;
  manifestLabel: string;
  entries: Map<number, ManifestEntry>;
  shard?: Shard;
  items: BatchItem[];
  invalid: InvalidItem[];
  templates: DraftTemplates;
}

/**
 * `draft batch MANIFEST`: many drafts, one concurrency limit, resumable, within a budget. `thread` is
 * the provider thread the caller started early and closes (thread-host.ts), used when every model is
 * reached over HTTP.
 */
export async function runBatch(
  manifestPath: string,
  rawOptions: Record<string, unknown>,
  ctx: CommandContext,
  thread?: ProviderThread,
): Promise<void> {
  const started = new Date();
  const prepared = await prepare(manifestPath, rawOptions, ctx);
  const { options, invalid } = prepared;

  if (invalid.length > 0 && !options.skipInvalid) {
    if (options.report) {
      const entries = invalidManifestEntries(prepared.items, invalid, ctx.cwd);
      await writeReport(ctx.cwd, options.report, buildReport(reportedRun(prepared), started, entries, null));
    }
    if (inGitHubActions(ctx.env)) {
      for (const bad of invalid)
        ctx.ui.out(annotation('error', bad.problems.join('; '), { ...placeOf(bad.entry), title: 'draft batch: invalid brief' }));
    }
    throw new UsageError(
      `${prepared.manifestLabel}: ${invalid.length} invalid brief(s); nothing was sent:\n` +
        invalid.map((bad) => `  ${entryLocation(bad.entry)}: ${bad.problems.join('; ')}`).join('\n'),
      { hint: 'fix them, or pass --skip-invalid to draft the valid ones' },
    );
  }
  for (const bad of invalid) ctx.ui.warn(`skipping invalid brief ${entryLocation(bad.entry)}: ${bad.problems.join('; ')}`);

  if (options.dryRun) return dryRun(prepared, ctx);
  await draftAll(prepared, started, ctx, thread);
}

async function prepare(manifestPath: string, rawOptions: Record<string, unknown>, ctx: CommandContext): Promise<Prepared> {
  // Every bad flag at once.
  const parsed = check(BatchOptionsSchema, rawOptions, { name: flagName });
  const provided = checkProviderOptions(rawOptions);
  const flagProblems = [...parsed.problems, ...provided.problems];
  if (flagProblems.length > 0) throw problemsError(flagProblems, 'see `draft batch --help`');
  const options = parsed.value!;
  const providerOptions = provided.value!;
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  const loaded = await loadConfigFile(ctx.cwd, providerOptions.config);
  const cfg = loaded.config;
  const outDir = outDirFrom(options.out, cfg, ctx.cwd);
  const batch = await loadBatch(manifestPath, {
    cwd: ctx.cwd,
    outDir,
    fileNamePattern: cfg.fileName,
    author: cfg.author,
    language: cfg.language,
    shard,
  });
  const templates = await loadDraftTemplates(ctx);
  // Where the drafts go and how they are asked for is checked now, so a mistake costs nothing.
  const folders = [...new Set(batch.items.map((item) => dirname(item.output)))];
  const preflight = [
    ...(await Promise.all(folders.map((folder) => outputFolderProblems(folder, 'output folder', relative(ctx.cwd, folder) || '.')))).flat(),
    ...(await Promise.all(folders.map((folder) => symlinkEscapeProblems(folder, outDir, relative(ctx.cwd, folder) || '.')))).flat(),
    ...(batch.items[0] ? draftTemplateProblems(batch.items[0].brief, templates) : []),
  ];
  if (preflight.length > 0) throw problemsError(preflight, 'nothing was sent; fix these and run again');
  return {
    options,
    concurrency: concurrencyFrom(options.concurrency, cfg),
    providerOptions,
    loaded,
    ...batch,
    shard,
    templates,
  };
}

async function draftAll(prepared: Prepared, started: Date, ctx: CommandContext, startedThread?: ProviderThread): Promise<void> {
  const { options, loaded, items, concurrency } = prepared;
  const cfg = loaded.config;
  const settingsByKey = await settingsFor(prepared, ctx);
  const settingsOf = (item: BatchItem) => settingsByKey.get(modelKey(item))!;
  const pricingFor = (item: BatchItem) => pricingOf(settingsOf(item), cfg.prices);

  const cacheDir = options.cache ? resolve(ctx.cwd, options.cacheDir ?? defaultCacheDir(ctx.env)) : null;
  if (options.providerBatch) {
    const { draftThroughBatchApi } = await import('./batch-provider.js');
    return finishRun(
      prepared,
      started,
      ctx,
      await draftThroughBatchApi(prepared, settingsByKey, cacheDir, ctx, secretsInEnv(ctx.env)),
      cacheDir,
    );
  }
  const budget = options.maxCost === undefined ? undefined : await batchBudget(options.maxCost, items, prepared.templates, pricingFor);

  let cacheWarned = false;
  const thread = startedThread && allOverHttp(settingsByKey.values()) ? startedThread : undefined;
  // The thread's providers share its own limit of `concurrency` calls.
  const create = thread ? createOnThread(thread, concurrency) : undefined;
  const limited = thread ? (provider: ChatProvider) => provider : sharedLimit(concurrency);
  const providers = new Map<string, ChatProvider>();
  for (const [key, settings] of settingsByKey) {
    const provider = limited(await openProvider(settings, ctx, create));
    providers.set(
      key,
      cacheDir
        ? withResponseCache(provider, {
            dir: cacheDir,
            onWriteError: (error) => {
              if (!cacheWarned) ctx.ui.warn(`cannot write the response cache in ${cacheDir}: ${(error as Error).message}`);
              cacheWarned = true;
            },
          })
        : provider,
    );
  }

  const live = liveDisplay(
    ctx.ui,
    items.length,
    `Drafting ${items.length} brief(s) from ${prepared.manifestLabel} ` +
      `with ${[...new Set(items.map((i) => settingsOf(i).model))].join(', ') || 'no model'}, ${concurrency} call(s) at a time`,
  );
  let outcome;
  try {
    outcome = await draftBatch({
      items,
      providerFor: (item) => providers.get(modelKey(item))!,
      templates: prepared.templates,
      cwd: ctx.cwd,
      force: options.force,
      failFast: options.failFast,
      // One draft per call slot keeps the slots busy (twice as many measured no faster in bench/batch.ts)
      // and keeps the work a Ctrl-C abandons small.
      draftsInFlight: concurrency,
      budget,
      prices: cfg.prices,
      notesHeading: notesHeadingFrom(options.notesHeading, cfg),
      site: siteOptions(cfg),
      maxTokens: options.maxTokens ?? cfg.maxTokens,
      strictOutline: options.strictOutline ?? cfg.strictOutline,
      sourceContext: { cwd: ctx.cwd, projectRoot: await findProjectRoot(ctx.cwd), settings: sourceSettingsFrom(options, cfg) },
      signal: ctx.signal,
      secrets: secretsInEnv(ctx.env),
      onResult: live.add,
    });
  } finally {
    await live.stop();
    await Promise.all([...providers.values()].map((p) => p.close?.()));
  }
  await finishRun(prepared, started, ctx, outcome, cacheDir);
}

/** The report, annotations, step summary and exit status of a finished (or stopped) run, online or through the Batch API. */
async function finishRun(
  prepared: Prepared,
  started: Date,
  ctx: CommandContext,
  outcome: BatchOutcome,
  cacheDir: string | null,
): Promise<void> {
  const { options } = prepared;
  const entries = [...outcome.entries, ...prepared.invalid.map(invalidEntry)];
  const report = buildReport(reportedRun(prepared), started, entries, outcome.stoppedBy, cacheDir);
  if (options.report) {
    const path = await writeReport(ctx.cwd, options.report, report);
    ctx.ui.info(`Report: ${relativePath(ctx.cwd, path)}`);
  }
  if (inGitHubActions(ctx.env)) {
    for (const line of batchAnnotations(report, (e) => placeOf(prepared.entries.get(e.index)!))) ctx.ui.out(line);
    await appendStepSummary(ctx.env, stepSummary(report)).catch((error: Error) =>
      ctx.ui.warn(`cannot write $GITHUB_STEP_SUMMARY: ${error.message}`),
    );
  }
  // The live display showed counts only; a terminal also gets what was written and what to fix.
  if (ctx.ui.animated) await showWrittenDrafts(ctx.ui, ctx.cwd, outcome.entries);
  ctx.ui.info(
    `Batch ${outcome.stoppedBy === 'interrupted' ? 'interrupted' : 'finished'}: ${totalsLine(report.totals, report.durationMs / 1000)}`,
  );

  // Ctrl-C: the entry point turns a normal return into exit 130, now that the report is safe.
  if (outcome.stoppedBy === 'interrupted') return;
  const failure = batchFailureMessage(report);
  if (failure) {
    const hint = options.report ? `see ${options.report} for each brief` : 'pass --report FILE for a JSON record of each brief';
    throw new BatchFailedError(failure, { hint, code: batchFailureCode(report) });
  }
}

/** The provider settings of every model the batch uses, from the flags and the config. */
function settingsFor(prepared: Prepared, ctx: CommandContext): Promise<Map<string, ProviderSettings>> {
  return settingsByModel(prepared.items, async (model, models) => {
    const providerOptions = model === undefined ? prepared.providerOptions : { ...prepared.providerOptions, model };
    return (await resolveSettings(providerOptions, ctx, prepared.loaded, models)).settings;
  });
}

async function dryRun(prepared: Prepared, ctx: CommandContext): Promise<void> {
  const estimate = await estimateDryRun(prepared.items, {
    cwd: ctx.cwd,
    force: prepared.options.force,
    templates: prepared.templates,
    prices: prepared.loaded.config.prices,
    settingsByModel: () => settingsFor(prepared, ctx),
  });
  const where = estimate.defaultSettings;
  const header =
    `Dry run: nothing will be sent. ${prepared.items.length} brief(s) from ${prepared.manifestLabel}` +
    `${prepared.shard ? ` (shard ${prepared.shard.index}/${prepared.shard.count})` : ''}; ` +
    `model ${where ? `${where.model} (${where.provider}${where.baseURL ? ` at ${redactUrl(where.baseURL)}` : ''})` : 'not configured'}.`;
  ctx.ui.out(estimateTable(estimate.drafts, header));
}

function reportedRun(prepared: Prepared): ReportedRun {
  return {
    manifest: prepared.manifestLabel,
    shard: prepared.shard,
    concurrency: prepared.concurrency,
    maxCostUsd: prepared.options.maxCost,
  };
}

function placeOf(entry: ManifestEntry): { file: string; line?: number } {
  return { file: entry.file, ...(entry.line !== undefined ? { line: entry.line } : {}) };
}
