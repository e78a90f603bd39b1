/**
 * `draft batch MANIFEST --provider-batch`: the batch drafted through the provider's Batch API, one
 * job per stage (see stage-collector.ts), at batch prices, resumable from `.draft/batches/<run>.json`.
 * Drafts are written by the same draftBatch an online run uses: same paths, locks, skips, notes, report.
 */
import type { DraftTemplates } from '../../drafting/generate-draft.js';
import { UsageError } from '../../errors.js';
import { lookupPrice, type PriceTable } from '../../pricing.js';
import { redactUrl, splitBaseUrl } from '../../provider/redact.js';
import { withResponseCache } from '../../provider/response-cache.js';
import type { ProviderInfo, ProviderSettings, Usage } from '../../provider/types.js';
import { modelKey } from '../model-settings.js';
import type { ReportEntry } from '../report.js';
import { draftBatch, type BatchOutcome } from '../draft-batch.js';
import type { Shard } from '../shard.js';
import type { BatchItem } from '../validate-manifest.js';
import { createBatchClient, type BatchClient } from './batch-client.js';
import { loadRunState, runName, runPlace, saveRunState, type RunState } from './run-state.js';
import { StageCollector } from './stage-collector.js';

export interface ProviderBatchOptions {
  items: readonly BatchItem[];
  settingsByKey: Map<string, ProviderSettings>;
  templates: DraftTemplates;
  cwd: string;
  /** As typed: the run's name is derived from its path inside the project, so another machine finds the same run. */
  manifestPath: string;
  manifestLabel: string;
  shard?: Shard;
  force: boolean;
  prices?: PriceTable;
  maxCostUsd?: number;
  notesHeading: string;
  maxTokens?: number;
  strictOutline?: boolean;
  signal: AbortSignal;
  secrets: string[];
  cacheDir: string | null;
  onCacheWriteError(error: unknown): void;
  pollMs: number;
  maxPollMs?: number;
  onProgress(line: string): void;
  onResult?(entry: ReportEntry): void;
}

export interface ProviderBatchOutcome extends BatchOutcome {
  run: string;
  statePath: string;
  jobsCreated: number;
  jobsResumed: number;
}

/** USD for usage at the model's Batch API price; null when it has none (never guessed from the online price). */
export function batchCostOf(usage: Usage, model: string, options: { local?: boolean; prices?: PriceTable }): number | null {
  if (options.local) return 0;
  const price = lookupPrice(model, options.prices)?.batch;
  if (!price) return null;
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
}

export async function runProviderBatch(options: ProviderBatchOptions): Promise<ProviderBatchOutcome> {
  const { settingsByKey, items } = options;
  for (const settings of settingsByKey.values()) {
    if (settings.provider === 'local') {
      throw new UsageError('--provider-batch: the local engine has no Batch API', {
        hint: 'use a hosted provider (OpenAI, vLLM, OpenRouter…) or drop --provider-batch',
      });
    }
  }
  const models = [...new Set(items.map(modelKey))];
  if (options.maxCostUsd !== undefined) {
    const unpriced = models.map((key) => settingsByKey.get(key)!.model).filter((model) => !lookupPrice(model, options.prices)?.batch);
    if (unpriced.length > 0) {
      throw new UsageError(
        `--max-cost: no Batch API price is known for ${[...new Set(unpriced)].join(', ')}, so spending cannot be tracked`,
        {
          hint:
            'add "prices": {"<model>": {"input": …, "output": …, "batch": {"input": …, "output": …}}} ' +
            'to draft.config.json, or drop --max-cost',
        },
      );
    }
  }

  const { dir, manifestKey } = await runPlace(options.cwd, options.manifestPath);
  const run = runName(manifestKey, options.shard);
  const defaults = settingsByKey.get('')!;
  const now = new Date().toISOString();
  const state: RunState = (await loadRunState(dir, run)) ?? {
    version: 1,
    run,
    manifest: options.manifestLabel,
    shard: options.shard ?? null,
    baseURL: redactUrl(defaults.baseURL),
    createdAt: now,
    updatedAt: now,
    jobs: [],
  };
  delete state.finishedAt;

  const clients = new Map<string, BatchClient>();
  for (const key of models) clients.set(key, await createBatchClient(settingsByKey.get(key)!));
  const infoFor = (key: string): ProviderInfo => {
    const settings = settingsByKey.get(key)!;
    return { provider: settings.provider, model: settings.model, baseURL: splitBaseUrl(settings.baseURL).url };
  };
  const collector = new StageCollector({
    clientFor: (key) => clients.get(key)!,
    infoFor,
    failureContext: (key) => {
      const settings = settingsByKey.get(key)!;
      const target = splitBaseUrl(settings.baseURL);
      return {
        baseURL: target.url,
        model: settings.model,
        apiKeyEnv: settings.apiKeyEnv,
        hasApiKey: Boolean(settings.apiKey),
        timeoutMs: settings.timeoutMs,
        secrets: [settings.apiKey, ...target.secrets, ...options.secrets],
      };
    },
    state,
    stateDir: dir,
    signal: options.signal,
    pollMs: options.pollMs,
    maxPollMs: options.maxPollMs ?? 60_000,
    ...(options.maxCostUsd !== undefined
      ? {
          budget: {
            maxUsd: options.maxCostUsd,
            costOf: (key: string, usage: Usage) => batchCostOf(usage, infoFor(key).model, { prices: options.prices }) ?? 0,
          },
        }
      : {}),
    onProgress: options.onProgress,
  });
  const byIndex = new Map(items.map((item) => [item.entry.index, item]));
  collector.begin(items);

  let outcome: BatchOutcome;
  try {
    outcome = await draftBatch({
      items,
      providerFor: (item) =>
        collector.providerFor(item, modelKey(item), (inner) =>
          options.cacheDir ? withResponseCache(inner, { dir: options.cacheDir, onWriteError: options.onCacheWriteError }) : inner,
        ),
      templates: options.templates,
      cwd: options.cwd,
      force: options.force,
      failFast: false,
      // Every draft at once: the provider's batch engine, not a local limit, decides what runs when.
      draftsInFlight: items.length,
      prices: options.prices,
      costOf: (usage, info) => batchCostOf(usage, info.model, { local: info.local, prices: options.prices }),
      notesHeading: options.notesHeading,
      maxTokens: options.maxTokens,
      strictOutline: options.strictOutline,
      signal: options.signal,
      secrets: options.secrets,
      onResult: (entry) => {
        const item = byIndex.get(entry.index);
        if (item) collector.finish(item);
        options.onResult?.(budgeted(entry, collector.budgetStopped.has(item!)));
      },
    });
  } finally {
    // Whatever happened, the jobs created so far are on disk: a re-run resumes them.
    if (state.jobs.length > 0) await saveRunState(dir, state).catch(() => undefined);
  }

  const entries = outcome.entries.map((entry) => budgeted(entry, collector.budgetStopped.has(byIndex.get(entry.index)!)));
  const stoppedBy = outcome.stoppedBy ?? (collector.budgetStopped.size > 0 ? 'budget' : null);
  if (!options.signal.aborted) {
    state.finishedAt = new Date().toISOString();
    if (state.jobs.length > 0) await saveRunState(dir, state);
  }
  return {
    entries,
    stoppedBy,
    run,
    statePath: `${dir}/${run}.json`,
    jobsCreated: collector.jobsCreated,
    jobsResumed: collector.jobsResumed,
  };
}

/** A draft the budget kept from being submitted was not run, not failed. */
function budgeted(entry: ReportEntry, stopped: boolean): ReportEntry {
  if (!stopped || entry.status !== 'failed') return entry;
  const { error: _error, ...rest } = entry;
  return { ...rest, status: 'not-run', reason: 'budget' };
}
