import type { DraftTemplates } from '../drafting/generate-draft.js';
import { UsageError } from '../errors.js';
import { lookupPrice } from '../pricing.js';
import { estimateDraft, type PricingFor } from './estimate.js';
import { lineMemoCounter } from './line-memo-tokens.js';
import type { BatchItem } from './validate-manifest.js';

/**
 * `--max-cost`: a draft starts only if what is spent so far, plus what the drafts in flight are
 * expected to cost, plus the estimate for this one, stays within the limit. In-flight drafts count at
 * their estimate until they finish and their real cost replaces it; when the next draft does not fit
 * but drafts are still running, it waits for them, since they may come in under their estimates.
 */
export type BudgetVerdict = 'start' | 'wait' | 'stop';

export class Budget {
  private spent = 0;
  private readonly reserved = new Map<string, number>();
  private waiters: (() => void)[] = [];

  constructor(readonly maxUsd: number) {}

  get spentUsd(): number {
    return this.spent;
  }

  /** On 'start' the estimate is reserved under `key` until settle(key) is called. */
  tryStart(key: string, estimateUsd: number): BudgetVerdict {
    let committed = this.spent;
    for (const amount of this.reserved.values()) committed += amount;
    if (committed + estimateUsd <= this.maxUsd) {
      this.reserved.set(key, estimateUsd);
      return 'start';
    }
    return this.reserved.size > 0 ? 'wait' : 'stop';
  }

  /** Replaces the reservation with what the draft really cost (a failed draft's spend counts too). */
  settle(key: string, actualUsd: number): void {
    this.reserved.delete(key);
    this.spent += actualUsd;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves when any reservation settles. */
  nextSettle(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

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
  const unknown = [
    ...new Set(
      items
        .map(pricing)
        .filter((p) => !p.local && !lookupPrice(p.model, p.prices))
        .map((p) => p.model),
    ),
  ];
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
