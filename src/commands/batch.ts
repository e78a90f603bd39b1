import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { BatchFailedError } from '../core/batch/batch-failed-error.js';
import { Budget } from '../core/batch/budget.js';
import { estimateDraft, type PricingFor } from '../core/batch/estimate.js';
import { annotation, appendStepSummary, batchAnnotations, inGitHubActions, stepSummary } from '../core/batch/github-actions.js';
import { entryLocation, loadManifest, type ManifestEntry } from '../core/batch/load-manifest.js';
import { planTable } from '../core/batch/plan-table.js';
import { countsLine, entryLine, totalsLine, type LiveCounts } from '../core/batch/progress-text.js';
import { invalidEntry, itemEntry, processFigures, relativePath, totalsOf, writeReport, type BatchReport, type ReportEntry, type StopReason } from '../core/batch/report.js';
import { runBatch } from '../core/batch/run-batch.js';
import { inShard, parseShard, type Shard } from '../core/batch/shard.js';
import { sharedLimit } from '../core/provider/limited.js';
import { validateManifest, type BatchItem, type InvalidItem } from '../core/batch/validate-manifest.js';
import { DEFAULT_NOTES_HEADING } from '../core/collab/notes.js';
import { loadConfigFile, type LoadedConfig } from '../core/config.js';
import { loadDraftTemplates, type DraftTemplates } from '../core/drafting/generate-draft.js';
import { UsageError } from '../core/errors.js';
import { formatCost, lookupPrice } from '../core/pricing.js';
import { defaultCacheDir, withResponseCache } from '../core/provider/response-cache.js';
import type { ChatProvider, ProviderSettings } from '../core/provider/types.js';
import { parseOrThrow } from '../core/validation.js';
import { secretsInEnv } from '../error-handler.js';
import type { Progress } from '../ui/ui.js';
import type { CommandContext } from './context.js';
import { openProvider, parseProviderOptions, resolveSettings, type ProviderOptions } from './shared/provider-options.js';

const BatchOptionsSchema = z.object({
  out: z.string().min(1).optional(),
  report: z.string().min(1).optional(),
  dryRun: z.boolean().default(false),
  shard: z.string().optional(),
  maxCost: z.coerce.number().positive('must be a positive amount in USD').optional(),
  failFast: z.boolean().default(false),
  force: z.boolean().default(false),
  skipInvalid: z.boolean().default(false),
  cache: z.boolean().default(true),
  cacheDir: z.string().min(1).optional(),
  concurrency: z.coerce.number().int('must be a whole number').min(1, 'at least 1').max(64, 'at most 64').optional(),
  maxTokens: z.coerce.number().int().positive().optional(),
  notesHeading: z.string().min(1).optional(),
});
type BatchOptions = z.output<typeof BatchOptionsSchema>;

interface Prepared {
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

/** `draft batch MANIFEST`: many drafts, one concurrency limit, resumable, within a budget. */
export async function runBatchCommand(manifestPath: string, rawOptions: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const started = new Date();
  const prepared = await prepare(manifestPath, rawOptions, ctx);
  const { options, invalid } = prepared;

  if (invalid.length > 0 && !options.skipInvalid) {
    if (options.report) {
      const entries = [
        ...prepared.items.map((item) => itemEntry(item, ctx.cwd, { status: 'not-run', reason: 'invalid-manifest' })),
        ...invalid.map(invalidEntry),
      ];
      await writeReport(ctx.cwd, options.report, buildReport(prepared, started, entries, null));
    }
    if (inGitHubActions(ctx.env)) {
      for (const bad of invalid) ctx.ui.out(annotation('error', bad.problems.join('; '), { ...placeOf(bad.entry), title: 'draft batch: invalid brief' }));
    }
    throw new UsageError(
      `${prepared.manifestLabel}: ${invalid.length} invalid brief(s); nothing was sent:\n` +
        invalid.map((bad) => `  ${entryLocation(bad.entry)}: ${bad.problems.join('; ')}`).join('\n'),
      { hint: 'fix them, or pass --skip-invalid to draft the valid ones' },
    );
  }
  for (const bad of invalid) ctx.ui.warn(`skipping invalid brief ${entryLocation(bad.entry)}: ${bad.problems.join('; ')}`);

  if (options.dryRun) return dryRun(prepared, ctx);
  await draftAll(prepared, started, ctx);
}

async function prepare(manifestPath: string, rawOptions: Record<string, unknown>, ctx: CommandContext): Promise<Prepared> {
  const options = parseOrThrow(BatchOptionsSchema, rawOptions, 'options', 'see `draft batch --help`');
  const providerOptions = parseProviderOptions(rawOptions);
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  const loaded = await loadConfigFile(ctx.cwd, providerOptions.config);
  const cfg = loaded.config;
  const manifest = await loadManifest(manifestPath, ctx.cwd);
  if (manifest.entries.length === 0) {
    throw new UsageError(`${manifest.label}: the manifest holds no briefs`, { hint: 'add at least one brief with a topic' });
  }
  const outDir = resolve(ctx.cwd, options.out ?? cfg.outDir ?? 'drafts');
  const checked = validateManifest(manifest, { cwd: ctx.cwd, outDir });
  for (const item of checked.items) if (!item.brief.author && cfg.author) item.brief.author = cfg.author;
  return {
    options,
    concurrency: options.concurrency ?? cfg.concurrency ?? 4,
    providerOptions,
    loaded,
    manifestLabel: manifest.label,
    entries: new Map(manifest.entries.map((e) => [e.index, e])),
    shard,
    items: checked.items.filter((item) => inShard(item.id, shard)),
    // A brief too broken to have an id is reported by the first shard only, so n jobs do not all repeat it.
    invalid: checked.invalid.filter((bad) => (bad.id === undefined ? !shard || shard.index === 1 : inShard(bad.id, shard))),
    templates: await loadDraftTemplates(ctx),
  };
}

async function draftAll(prepared: Prepared, started: Date, ctx: CommandContext): Promise<void> {
  const { options, loaded, items, concurrency } = prepared;
  const cfg = loaded.config;
  const settingsByModel = await settingsFor(prepared, ctx);
  const settingsOf = (item: BatchItem) => settingsByModel.get(keyOf(item))!;
  const pricingFor = (item: BatchItem): PricingFor => {
    const settings = settingsOf(item);
    return { model: settings.model, local: settings.provider === 'local', prices: cfg.prices };
  };

  const budget = options.maxCost === undefined ? undefined : await budgetFor(options.maxCost, prepared, pricingFor);

  const cacheDir = options.cache ? resolve(ctx.cwd, options.cacheDir ?? defaultCacheDir(ctx.env)) : null;
  let cacheWarned = false;
  const limited = sharedLimit(concurrency);
  const providers = new Map<string, ChatProvider>();
  for (const [key, settings] of settingsByModel) {
    const provider = limited(await openProvider(settings, ctx));
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

  const live = liveDisplay(ctx, items.length, `Drafting ${items.length} brief(s) from ${prepared.manifestLabel} with ${[...new Set(items.map((i) => settingsOf(i).model))].join(', ') || 'no model'}, ${concurrency} call(s) at a time`);
  let outcome;
  try {
    outcome = await runBatch({
      items,
      providerFor: (item) => providers.get(keyOf(item))!,
      templates: prepared.templates,
      cwd: ctx.cwd,
      force: options.force,
      failFast: options.failFast,
      // One draft per call slot keeps the slots busy (twice as many measured no faster in bench/batch.ts)
      // and keeps the work a Ctrl-C abandons small.
      draftsInFlight: concurrency,
      budget,
      prices: cfg.prices,
      notesHeading: options.notesHeading ?? cfg.notesHeading ?? DEFAULT_NOTES_HEADING,
      maxTokens: options.maxTokens ?? cfg.maxTokens,
      signal: ctx.signal,
      secrets: secretsInEnv(ctx.env),
      onResult: live.add,
    });
  } finally {
    await live.stop();
    await Promise.all([...providers.values()].map((p) => p.close?.()));
  }

  const entries = [...outcome.entries, ...prepared.invalid.map(invalidEntry)];
  const report = buildReport(prepared, started, entries, outcome.stoppedBy, cacheDir);
  if (options.report) {
    const path = await writeReport(ctx.cwd, options.report, report);
    ctx.ui.info(`Report: ${relativePath(ctx.cwd, path)}`);
  }
  if (inGitHubActions(ctx.env)) {
    for (const line of batchAnnotations(report, (e) => placeOf(prepared.entries.get(e.index)!))) ctx.ui.out(line);
    await appendStepSummary(ctx.env, stepSummary(report)).catch((error: Error) => ctx.ui.warn(`cannot write $GITHUB_STEP_SUMMARY: ${error.message}`));
  }
  ctx.ui.info(`Batch ${outcome.stoppedBy === 'interrupted' ? 'interrupted' : 'finished'}: ${totalsLine(report.totals, report.durationMs / 1000)}`);

  // Ctrl-C: the entry point turns a normal return into exit 130, now that the report is safe.
  if (outcome.stoppedBy === 'interrupted') return;
  const failure = failureMessage(report);
  if (failure) throw new BatchFailedError(failure, { hint: options.report ? `see ${options.report} for each brief` : 'pass --report FILE for a JSON record of each brief' });
}

/** Providers are keyed by the model a brief names, '' for the default. */
/** Settings for the default model and for each model the manifest names; all resolved before spending. */
async function settingsFor(prepared: Prepared, ctx: CommandContext): Promise<Map<string, ProviderSettings>> {
  const map = new Map<string, ProviderSettings>();
  map.set('', (await resolveSettings(prepared.providerOptions, ctx, prepared.loaded)).settings);
  for (const model of new Set(prepared.items.flatMap((i) => (i.model ? [i.model] : [])))) {
    map.set(model, (await resolveSettings({ ...prepared.providerOptions, model }, ctx, prepared.loaded)).settings);
  }
  return map;
}

const keyOf = (item: BatchItem) => item.model ?? '';

/** A budget needs prices: with an unknown one it could never tell when to stop, so that is a usage error. */
async function budgetFor(maxUsd: number, prepared: Prepared, pricing: (item: BatchItem) => PricingFor) {
  const unknown = [...new Set(prepared.items.map(pricing).filter((p) => !p.local && !lookupPrice(p.model, p.prices)).map((p) => p.model))];
  if (unknown.length > 0) {
    throw new UsageError(`--max-cost: no price is known for ${unknown.join(', ')}, so spending cannot be tracked`, {
      hint: 'add "prices": {"<model>": {"input": USD per 1M tokens, "output": ...}} to draft.config.json, or drop --max-cost',
    });
  }
  const { loadTokenCounter } = await import('../core/tokens.js');
  const tokens = await loadTokenCounter();
  const estimates = new Map(prepared.items.map((item) => [item, estimateDraft(item.brief, prepared.templates, tokens, pricing(item)).costUsd ?? 0]));
  return { budget: new Budget(maxUsd), estimateUsd: (item: BatchItem) => estimates.get(item)! };
}

function failureMessage(report: BatchReport): string | undefined {
  const t = report.totals;
  if (report.stoppedBy === 'budget') {
    return `budget reached: ${t.notRun} draft(s) not written; spent ${formatCost(t.costUsd)} of $${report.maxCostUsd}${t.failed ? `, and ${t.failed} failed` : ''}`;
  }
  if (report.stoppedBy === 'fail-fast') return `stopped at the first failure (--fail-fast): ${t.failed} failed, ${t.notRun} not started`;
  if (t.failed > 0) return `${t.failed} of ${t.briefs} draft(s) failed`;
  return undefined;
}

async function dryRun(prepared: Prepared, ctx: CommandContext): Promise<void> {
  const { loadTokenCounter } = await import('../core/tokens.js');
  const tokens = await loadTokenCounter();
  let settings: Map<string, ProviderSettings> | undefined;
  try {
    settings = await settingsFor(prepared, ctx);
  } catch (error) {
    // A plan is still useful before any provider is set up; the cost is then unknown.
    if (!(error instanceof UsageError)) throw error;
  }
  const prices = prepared.loaded.config.prices;
  const defaultModel = settings?.get('')?.model;
  const drafts = await Promise.all(
    prepared.items.map(async (item) => {
      const exists = !prepared.options.force && (await access(item.output).then(() => true, () => false));
      const s = settings?.get(keyOf(item));
      const model = item.model ?? defaultModel ?? 'not configured';
      const pricing = { model: s?.model ?? model, local: s?.provider === 'local', prices };
      const estimate = exists ? undefined : estimateDraft(item.brief, prepared.templates, tokens, pricing);
      return { id: item.id, path: relativePath(ctx.cwd, item.output), model, estimate };
    }),
  );
  const where = settings?.get('');
  const header =
    `Dry run: nothing will be sent. ${prepared.items.length} brief(s) from ${prepared.manifestLabel}` +
    `${prepared.shard ? ` (shard ${prepared.shard.index}/${prepared.shard.count})` : ''}; ` +
    `model ${where ? `${where.model} (${where.provider}${where.baseURL ? ` at ${where.baseURL}` : ''})` : 'not configured'}.`;
  ctx.ui.out(planTable(drafts, header));
}

function buildReport(
  prepared: Prepared,
  started: Date,
  entries: ReportEntry[],
  stoppedBy: StopReason | null,
  cacheDir: string | null = null,
): BatchReport {
  const finished = new Date();
  return {
    version: 1,
    manifest: prepared.manifestLabel,
    shard: prepared.shard ?? null,
    concurrency: prepared.concurrency,
    maxCostUsd: prepared.options.maxCost ?? null,
    cache: { enabled: cacheDir !== null, dir: cacheDir },
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    stoppedBy,
    totals: totalsOf(entries),
    process: processFigures(),
    entries: [...entries].sort((a, b) => a.index - b.index),
  };
}

function placeOf(entry: ManifestEntry): { file: string; line?: number } {
  return { file: entry.file, ...(entry.line !== undefined ? { line: entry.line } : {}) };
}

/** A live counts line on a terminal; one plain line per finished draft otherwise (CI logs). */
export function liveDisplay(ctx: CommandContext, total: number, title: string): { add: (e: ReportEntry) => void; stop: () => Promise<void> } {
  const counts: LiveCounts = { ok: 0, failed: 0, skipped: 0, remaining: total, spentUsd: 0 };
  const tally = (e: ReportEntry) => {
    counts.remaining--;
    if (e.status === 'ok') counts.ok++;
    else if (e.status === 'failed') counts.failed++;
    else if (e.status === 'skipped') counts.skipped++;
    counts.spentUsd = counts.spentUsd === null || e.costUsd === null ? null : counts.spentUsd + e.costUsd;
  };
  ctx.ui.info(title);
  if (!ctx.ui.animated) {
    return {
      add: (e) => {
        tally(e);
        ctx.ui.info(entryLine(e));
      },
      stop: async () => {},
    };
  }
  // Spinners start asynchronously, so updates are chained to keep them in order.
  let current: Promise<Progress> = ctx.ui.progress(countsLine(counts));
  return {
    add: (e) => {
      tally(e);
      const text = countsLine(counts);
      current = current.then(async (progress) => {
        if (e.status !== 'failed') {
          progress.update(text);
          return progress;
        }
        // A failure stays on screen above the live line.
        progress.fail(entryLine(e));
        return ctx.ui.progress(text);
      });
    },
    stop: async () => (await current).stop(),
  };
}
