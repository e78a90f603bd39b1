import type { Brief } from '../brief.js';
import type { DraftTemplates } from '../drafting/generate-draft.js';
import { planDraft } from '../drafting/plan.js';
import { costOf, type PriceTable } from '../pricing.js';
import type { TokenCounter } from '../tokens.js';

export interface DraftEstimate {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** null when the model's price is unknown. */
  costUsd: number | null;
}

export interface PricingFor {
  model: string;
  local?: boolean;
  prices?: PriceTable;
}

/** What one draft is expected to send and cost, from the same plan `draft new --dry-run` prints. */
export function estimateDraft(brief: Brief, templates: DraftTemplates, tokens: TokenCounter, pricing: PricingFor): DraftEstimate {
  const plan = planDraft(brief, templates, tokens);
  return {
    requests: plan.requests.length,
    inputTokens: plan.inputTokens,
    outputTokens: plan.outputTokens,
    costUsd: costOf(plan, pricing.model, { local: pricing.local, prices: pricing.prices }),
  };
}
