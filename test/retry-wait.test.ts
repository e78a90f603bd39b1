/**
 * The wait before a retry, on its own: the server's retry-after when it gives one, else jittered
 * exponential backoff from the default base, both capped. The command tests send retry-after so that
 * they need not sit out this backoff; here it is checked without waiting for it.
 */
import { describe, expect, it } from 'vitest';
import { InterruptedError, ProviderError } from '../src/core/errors.js';
import { BACKOFF_BASE_MS } from '../src/core/defaults.js';
import { abortableSleep, retryDelayMs } from '../src/core/provider/retry-wait.js';

const settings = { backoffBaseMs: BACKOFF_BASE_MS, retryAfterCapMs: 30_000 };
const serverError = (retryAfterMs?: number) => new ProviderError('server', 'HTTP 500', { retryable: true, status: 500, retryAfterMs });

describe('retryDelayMs', () => {
  it('doubles from the base on each retry, jittered down by at most a quarter', () => {
    for (let retries = 0; retries < 4; retries++) {
      const step = BACKOFF_BASE_MS * 2 ** retries;
      for (let i = 0; i < 50; i++) {
        const ms = retryDelayMs(settings, serverError(), retries);
        expect(ms).toBeGreaterThanOrEqual(Math.round(step * 0.75));
        expect(ms).toBeLessThanOrEqual(step);
      }
    }
  });

  it("takes the server's retry-after instead, even when it is zero", () => {
    expect(retryDelayMs(settings, serverError(10), 3)).toBe(10);
    expect(retryDelayMs(settings, serverError(0), 3)).toBe(0);
  });

  it('caps both the backoff and a long retry-after', () => {
    expect(retryDelayMs(settings, serverError(120_000), 0)).toBe(30_000);
    expect(retryDelayMs({ backoffBaseMs: 500, retryAfterCapMs: 2000 }, serverError(), 10)).toBe(2000);
  });
});

describe('abortableSleep', () => {
  it('ends early with InterruptedError when the signal aborts, and at once when it already has', async () => {
    const controller = new AbortController();
    const waiting = abortableSleep(60_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(InterruptedError);
    await expect(abortableSleep(60_000, controller.signal)).rejects.toBeInstanceOf(InterruptedError);
  });
});
