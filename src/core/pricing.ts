/**
 * USD per million tokens for well-known models. A model missing here has an unknown price,
 * which is reported as unknown, never as zero. The config file's `prices` overrides entries.
 */
export interface Price {
  input: number;
  output: number;
  /** The provider's Batch API prices (`draft batch --provider-batch`); absent where it has none. */
  batch?: { input: number; output: number };
}

/** OpenAI's Batch API costs half the online price. */
const half = (p: { input: number; output: number }): Price => ({ ...p, batch: { input: p.input / 2, output: p.output / 2 } });

export const BUILT_IN_PRICES: Record<string, Price> = {
  'gpt-4o-mini': half({ input: 0.15, output: 0.6 }),
  'gpt-4o': half({ input: 2.5, output: 10 }),
  'gpt-4.1': half({ input: 2, output: 8 }),
  'gpt-4.1-mini': half({ input: 0.4, output: 1.6 }),
  'gpt-4.1-nano': half({ input: 0.1, output: 0.4 }),
  'o4-mini': half({ input: 1.1, output: 4.4 }),
  'o3-mini': half({ input: 1.1, output: 4.4 }),
  'deepseek-chat': { input: 0.27, output: 1.1 },
  'deepseek-reasoner': { input: 0.55, output: 2.19 },
  'openai/gpt-4o-mini': { input: 0.15, output: 0.6 },
  'openai/gpt-4o': { input: 2.5, output: 10 },
  'deepseek/deepseek-chat': { input: 0.27, output: 1.1 },
  // The new presets' defaults, as each provider listed them when reviewed on 2026-12-01 (README
  // "Prices"). gemini-2.5-flash-lite is left out: no price could be confirmed, so it shows as unknown.
  'claude-haiku-4-5': { input: 1, output: 5 },
  'llama-3.1-8b-instant': { input: 0.05, output: 0.08 },
  'meta-llama/Llama-3.3-70B-Instruct-Turbo': { input: 0.88, output: 0.88 },
  'mistral-small-latest': { input: 0.1, output: 0.3 },
};

export type PriceTable = Record<string, Price>;

export function lookupPrice(model: string, overrides: PriceTable = {}): Price | undefined {
  return overrides[model] ?? BUILT_IN_PRICES[model];
}

/**
 * Dollar amounts are rounded here, and only here, to 6 decimals (a millionth of a dollar, below any
 * one request's price): every cost that is shown or stored goes through it, so float noise such as
 * 0.0009640499999999999 never reaches a file or report, and sums agree with their parts.
 */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

/** Cost in USD (rounded by roundUsd), or null when the price is unknown. Local models cost nothing. */
export function costOf(
  usage: { inputTokens: number; outputTokens: number },
  model: string,
  options: { local?: boolean; prices?: PriceTable } = {},
): number | null {
  if (options.local) return 0;
  const price = lookupPrice(model, options.prices);
  if (!price) return null;
  return roundUsd((usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000);
}

export function formatCost(cost: number | null, local = false): string {
  if (local) return '$0 (local)';
  if (cost === null) return 'unknown (no price for this model)';
  return cost < 0.01 ? `$${cost.toFixed(4)}` : `$${cost.toFixed(2)}`;
}
