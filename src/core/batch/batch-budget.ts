import type { DraftTemplates } from '../drafting/generate-draft.js';
import { UsageError } from '../errors.js';
import { lookupPrice } from '../pricing.js';
import { Budget } from './budget.js';
import { estimateDraft, type PricingFor } from './estimate.js';
import { lineMemoCounter } from './line-memo-tokens.js';
import type { BatchItem } from './validate-manifest.js';

export interface BatchBudget {
  budget: Budget;
  estimateUsd(item: BatchItem): number;
}

/** A budget needs prices: with an unknown one it could never tell when to stop, so that is a usage error. */
export async function batchBudget(
  maxUsd: number,
  items: readonly BatchItem[],
  templates: DraftTemplates,
  pricing: (item: BatchItem) => PricingFor,
): Promise<BatchBudget> {
  const unknown = [...new Set(items.map(pricing).filter((p) => !p.local && !lookupPrice(p.model, p.prices)).map((p) => p.model))];
  if (unknown.length > 0) {
    throw new UsageError(`--max-cost: no price is known for ${unknown.join(', ')}, so spending cannot be tracked`, {
      hint: 'add "prices": {"<model>": {"input": USD per 1M tokens, "output": ...}} to draft.config.json, or drop --max-cost',
    });
  }
  const { loadTokenCounter } = await import('../tokens.js');
  const tokens = lineMemoCounter(await loadTokenCounter());
  const estimates = new Map(items.map((item) => [item, estimateDraft(item.brief, templates, tokens, pricing(item)).costUsd ?? 0]));
  return { budget: new Budget(maxUsd), estimateUsd: (item: BatchItem) => estimates.get(item)! };
}
