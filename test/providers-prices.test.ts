/**
 * Prices for the presets' default models: known ones are in the table, unknown ones stay unknown (never $0),
 * and the config's `prices` adds or overrides.
 */
import { describe, expect, it } from 'vitest';
import { ConfigFileSchema } from '../src/core/config.js';
import { PRESETS } from '../src/core/presets.js';
import { costOf, formatCost } from '../src/core/pricing.js';

const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 };

describe('preset default prices', () => {
  it.each([
    ['anthropic', 6],
    ['groq', 0.13],
    ['together', 1.76],
    ['mistral', 0.4],
    ['openai', 0.75],
    ['deepseek', 1.37],
  ])('%s default model has a price', (name, total) => {
    expect(costOf(usage, PRESETS[name]!.defaultModel)).toBeCloseTo(total, 6);
  });

  it('a default with no confirmed price is unknown, not free', () => {
    expect(costOf(usage, PRESETS.gemini!.defaultModel)).toBeNull();
    expect(costOf(usage, PRESETS.vllm!.defaultModel)).toBeNull();
    expect(formatCost(costOf(usage, PRESETS.gemini!.defaultModel))).toBe('unknown (no price for this model)');
  });

  it('the config file adds and overrides prices', () => {
    const { prices } = ConfigFileSchema.parse({
      prices: { 'gemini-2.5-flash-lite': { input: 0.1, output: 0.4 }, 'claude-haiku-4-5': { input: 2, output: 10 } },
    });
    expect(costOf(usage, 'gemini-2.5-flash-lite', { prices })).toBeCloseTo(0.5, 6);
    expect(costOf(usage, 'claude-haiku-4-5', { prices })).toBeCloseTo(12, 6);
  });
});
