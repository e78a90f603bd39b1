import type { Brief } from '../brief.js';
import type { DraftTemplates } from '../drafting/generate-draft.js';
import { estimateRequests } from '../drafting/request-estimate.js';
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

/** What one draft is expected to send and cost, from the same request estimate `draft new --dry-run` prints. */
export function estimateDraft(brief: Brief, templates: DraftTemplates, tokens: TokenCounter, pricing: PricingFor): DraftEstimate {
  const estimate = estimateRequests(brief, templates, tokens);
  return {
    requests: estimate.requests.length,
    inputTokens: estimate.inputTokens,
    outputTokens: estimate.outputTokens,
    costUsd: costOf(estimate, pricing.model, { local: pricing.local, prices: pricing.prices }),
  };
}
