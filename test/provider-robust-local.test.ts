/**
 * The local engine gets the same reply cap as a hosted provider: stories260K (1 MB, trained on
 * stories separated only by BOS) seldom stops by itself, and must end as "reply too long" at the
 * cap derived from the word target, long before its context window fills.
 */
import { describe, expect, it } from 'vitest';
import { callForText, UsageMeter } from '../src/core/drafting/model-call.js';
import { ProviderError } from '../src/core/errors.js';
import { createLocalProvider } from '../src/core/provider/local-provider.js';
import { replyLimits } from '../src/core/provider/reply-limits.js';
import { localSettings, testModelUnavailable } from './support/test-model.js';

const unavailable = testModelUnavailable('local reply caps', { needsEngine: true });
const CONTEXT = 2048;

describe.skipIf(unavailable !== undefined)('a runaway local reply', () => {
  it('ends as "reply too long" at the cap from the word target, well before the context fills', async () => {
    const provider = await createLocalProvider(localSettings({ contextSize: CONTEXT, seed: 7 }));
    try {
      const meter = new UsageMeter();
      const request = {
        purpose: 'section 1',
        // Greedy-ish and long-winded: this model keeps telling stories.
        messages: [{ role: 'user' as const, content: 'Once upon a time there was a little girl who loved to tell very long stories.' }],
        targetWords: 5,
        temperature: 0.8,
      };
      const cap = replyLimits(request).maxTokens!;
      expect(cap).toBeLessThan(CONTEXT / 4);
      const error = await callForText(provider, request, meter).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).message).toContain('section 1');
      expect((error as ProviderError).message).toContain('reply too long');
      // Stopped at the cap, not at the window.
      expect(meter.outputTokens).toBeLessThanOrEqual(cap);
    } finally {
      await provider.close?.();
    }
  }, 60_000);
});
