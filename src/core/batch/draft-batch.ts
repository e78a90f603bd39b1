import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { createDraftFile } from '../drafting/create-draft-file.js';
import type { DraftTemplates } from '../drafting/generate-draft.js';
import { UsageMeter } from '../drafting/model-call.js';
import type { PriceTable } from '../pricing.js';
import type { ChatProvider, ProviderInfo, Usage } from '../provider/types.js';
import type { Budget } from './budget.js';
import { acquireDraftLock, removeStaleLocks } from './draft-lock.js';
import { failureFields, itemEntry, relativePath, type ReportEntry, type StopReason } from './report.js';
import type { SiteOptions } from '../site/site-schema.js';
import type { BatchItem } from './validate-manifest.js';
import type { SourceSettings } from '../sources/source-settings.js';
import { exists } from '../fs/exists.js';
import { sharedSignal } from '../shared-signal.js';

export interface DraftBatchOptions {
  items: readonly BatchItem[];
  /** The provider for an item's model. Every one of them shares the batch's single concurrency limit. */
  providerFor(item: BatchItem): ChatProvider;
  templates: DraftTemplates;
  cwd: string;
  force: boolean;
  failFast: boolean;
  /** Drafts worked on at once. Model calls in flight are bounded separately, by the providers' shared limit. */
  draftsInFlight: number;
  budget?: { budget: Budget; estimateUsd(item: BatchItem): number };
  prices?: PriceTable;
  /** What a draft's usage cost; the online price table's unless given (the Batch API's prices are others). */
  costOf?(usage: Usage, provider: ProviderInfo): number | null;
  notesHeading: string;
  /** The site's front-matter mapping (config `frontMatter`). */
  site?: SiteOptions;
  maxTokens?: number;
  strictOutline?: boolean;
  /** Where briefs' sources are read from and snapshotted, and how. */
  sourceContext?: { cwd: string; projectRoot: string; settings: SourceSettings };
  signal: AbortSignal;
  /** Values that must never appear in a report or a message. */
  secrets: string[];
  onResult?(entry: ReportEntry): void;
}

export interface BatchOutcome {
  /** One per item, in manifest order. */
  entries: ReportEntry[];
  stoppedBy: StopReason | null;
}

export async function draftBatch(options: DraftBatchOptions): Promise<BatchOutcome> {
  const { items } = options;
  // Every draft in flight listens on it, whoever made it (main() does too).
  const signal = sharedSignal(options.signal);
  const runStarted = Date.now();
  const results = new Map<BatchItem, ReportEntry>();
  let stoppedBy: StopReason | null = null;
  let next = 0;
  // Locks left by a batch that was killed (kill -9) would otherwise stay beside drafts that now exist.
  for (const folder of new Set(items.map((item) => dirname(item.output)))) await removeStaleLocks(folder);

  const worker = async () => {
    while (!stoppedBy && !signal.aborted && next < items.length) {
      const item = items[next++]!;
      let entry: Awaited<ReturnType<typeof runItem>>;
      try {
        entry = await runItem(item, options, runStarted, () => stoppedBy);
      } catch (error) {
        // A lock or file-system failure fails this draft, not the batch.
        entry = itemEntry(item, options.cwd, { status: 'failed', ...failureFields(error, options.secrets) });
      }
      if (entry === 'budget') {
        stoppedBy ??= 'budget';
        return;
      }
      if (!entry) continue;
      results.set(item, entry);
      if (entry.status === 'failed' && options.failFast) stoppedBy ??= 'fail-fast';
      options.onResult?.(entry);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.draftsInFlight, items.length)) }, worker));

  if (signal.aborted) stoppedBy = 'interrupted';
  // What the run never reached is still reported, so the report always covers every brief.
  for (const item of items) {
    if (results.has(item)) continue;
    const entry =
      !options.force && (await exists(item.output))
        ? itemEntry(item, options.cwd, { status: 'skipped', reason: 'exists' })
        : itemEntry(item, options.cwd, { status: 'not-run', reason: stoppedBy ?? 'interrupted' });
    results.set(item, entry);
  }
  return { entries: items.map((item) => results.get(item)!), stoppedBy };
}

/** The entry, or 'budget' when the budget says stop, or undefined when the run was stopped meanwhile. */
async function runItem(
  item: BatchItem,
  options: DraftBatchOptions,
  runStarted: number,
  stopped: () => StopReason | null,
): Promise<ReportEntry | 'budget' | undefined> {
  // Cheap check first: resuming a batch skips what exists without locking or estimating anything.
  if (!options.force && (await exists(item.output))) return itemEntry(item, options.cwd, { status: 'skipped', reason: 'exists' });

  const budget = options.budget;
  if (!budget) return draftUnderLock(item, options, runStarted);
  const estimate = budget.estimateUsd(item);
  for (;;) {
    if (stopped() || options.signal.aborted) return undefined;
    const verdict = budget.budget.tryStart(item.id, estimate);
    if (verdict === 'start') break;
    if (verdict === 'stop') return 'budget';
    await budget.budget.nextSettle();
  }
  let entry: ReportEntry | undefined;
  try {
    entry = await draftUnderLock(item, options, runStarted);
    return { ...entry, estimatedCostUsd: estimate };
  } finally {
    // A failed draft's spend counts too; an unknown price cannot happen here (checked before the run).
    budget.budget.settle(item.id, entry?.costUsd ?? 0);
  }
}

async function draftUnderLock(item: BatchItem, options: DraftBatchOptions, runStarted: number): Promise<ReportEntry> {
  const { cwd, force } = options;
  const lock = await acquireDraftLock(item.output);
  if (!lock.acquired) {
    const who = lock.owner ? ` by process ${lock.owner.pid} on ${lock.owner.host}` : '';
    return itemEntry(item, cwd, {
      status: 'skipped',
      reason: 'locked',
      error: `another run is writing it (locked${who}; ${relativePath(cwd, lock.lockPath)})`,
    });
  }
  try {
    // Again under the lock: another run may have finished this draft since the first look.
    const mtime = await modifiedAt(item.output);
    if (mtime !== undefined && !force) return itemEntry(item, cwd, { status: 'skipped', reason: 'exists' });
    // --force replaces drafts from before this run, not one a concurrent run has just written.
    if (mtime !== undefined && mtime >= runStarted) return itemEntry(item, cwd, { status: 'skipped', reason: 'written-by-another-run' });
    return await draftOne(item, options);
  } finally {
    await lock.release();
  }
}

async function draftOne(item: BatchItem, options: DraftBatchOptions): Promise<ReportEntry> {
  const { cwd, signal } = options;
  const started = Date.now();
  const provider = options.providerFor(item);
  // The draft counts into this meter, so its front matter and this entry say the same, and a draft
  // that fails still reports what it spent. Cache hits are counted, never billed (see UsageMeter).
  const meter = new UsageMeter(options.costOf);
  const spent = () => ({
    model: provider.info.model,
    requests: meter.requests,
    cachedRequests: meter.cachedRequests,
    tokens: { input: meter.inputTokens, output: meter.outputTokens },
    costUsd: meter.costUsd(provider.info, options.prices),
    durationMs: Date.now() - started,
  });
  try {
    const created = await createDraftFile({
      brief: item.brief,
      provider,
      meter,
      templates: options.templates,
      signal,
      maxTokens: options.maxTokens,
      strictOutline: options.strictOutline,
      outDir: dirname(item.output),
      fileNamePattern: basename(item.output),
      force: options.force,
      notesHeading: options.notesHeading,
      prices: options.prices,
      site: options.site,
      ...(options.sourceContext ? { sourceContext: options.sourceContext } : {}),
    });
    return {
      ...itemEntry(item, cwd, { status: 'ok' }),
      path: relativePath(cwd, created.path),
      title: created.title,
      ...spent(),
      ...(created.warnings.length ? { warnings: created.warnings } : {}),
      ...(created.figures.total > 0 ? { figures: created.figures } : {}),
    };
  } catch (error) {
    if (signal.aborted) return { ...itemEntry(item, cwd, { status: 'not-run', reason: 'interrupted' }), ...spent() };
    return { ...itemEntry(item, cwd, { status: 'failed', ...failureFields(error, options.secrets) }), ...spent() };
  }
}

async function modifiedAt(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
