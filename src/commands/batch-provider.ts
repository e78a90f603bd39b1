import { modelKey } from '../core/batch/model-settings.js';
import type { BatchOutcome } from '../core/batch/draft-batch.js';
import { DEFAULT_POLL_INTERVAL_SECONDS, notesHeadingFrom } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import type { ProviderSettings } from '../core/provider/types.js';
import { liveDisplay } from '../ui/batch-display.js';
import type { Prepared } from './batch.js';
import type { CommandContext } from './context.js';

/** `draft batch --provider-batch`: the drafts through the provider's Batch API; the caller reports as for an online run. */
export async function draftThroughBatchApi(
  prepared: Prepared,
  settingsByKey: Map<string, ProviderSettings>,
  cacheDir: string | null,
  ctx: CommandContext,
  secrets: string[],
): Promise<BatchOutcome> {
  const { options, loaded, items } = prepared;
  if (options.failFast) {
    throw new UsageError('--fail-fast cannot be used with --provider-batch: every draft of a stage is one job', {
      hint: 'drop one of them',
    });
  }
  const cfg = loaded.config;
  const { runProviderBatch } = await import('../core/batch/provider-batch/run-provider-batch.js');
  const models = [...new Set(items.map((i) => settingsByKey.get(modelKey(i))!.model))].join(', ') || 'no model';
  const live = liveDisplay(
    ctx.ui,
    items.length,
    `Drafting ${items.length} brief(s) from ${prepared.manifestLabel} with ${models} through the provider's Batch API, one job per stage`,
  );
  let cacheWarned = false;
  try {
    const outcome = await runProviderBatch({
      items,
      settingsByKey,
      templates: prepared.templates,
      cwd: ctx.cwd,
      manifestPath: prepared.manifestLabel,
      manifestLabel: prepared.manifestLabel,
      shard: prepared.shard,
      force: options.force,
      prices: cfg.prices,
      maxCostUsd: options.maxCost,
      notesHeading: notesHeadingFrom(options.notesHeading, cfg),
      maxTokens: options.maxTokens ?? cfg.maxTokens,
      strictOutline: options.strictOutline ?? cfg.strictOutline,
      signal: ctx.signal,
      secrets,
      cacheDir,
      onCacheWriteError: (error) => {
        if (!cacheWarned) ctx.ui.warn(`cannot write the response cache in ${cacheDir}: ${(error as Error).message}`);
        cacheWarned = true;
      },
      pollMs: Math.round((options.pollInterval ?? DEFAULT_POLL_INTERVAL_SECONDS) * 1000),
      onProgress: (line) => ctx.ui.info(line),
      onResult: live.add,
    });
    ctx.ui.info(
      `Batch run ${outcome.run}: ${outcome.jobsCreated} job(s) created, ${outcome.jobsResumed} resumed; state in ${outcome.statePath}`,
    );
    return outcome;
  } finally {
    await live.stop();
  }
}
