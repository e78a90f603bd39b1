import { InterruptedError, ProviderError } from '../errors.js';
import type { ProviderSettings } from './types.js';

/** How long before retry number `retries` + 1: the server's retry-after, else jittered exponential backoff, both capped. */
export function retryDelayMs(
  settings: Pick<ProviderSettings, 'backoffBaseMs' | 'retryAfterCapMs'>,
  error: ProviderError,
  retries: number,
): number {
  // Between 75% and 100% of the exponential step, so parallel requests do not retry in lockstep.
  const backoff = settings.backoffBaseMs * 2 ** retries * (1 - Math.random() * 0.25);
  return Math.round(Math.min(settings.retryAfterCapMs, error.retryAfterMs ?? backoff));
}

/** The last failure, saying how many attempts were made. */
export function gaveUp(error: ProviderError, attempts: number): ProviderError {
  return new ProviderError(error.kind, `${error.message} (gave up after ${attempts} attempts)`, {
    retryable: error.retryable,
    status: error.status,
    retryAfterMs: error.retryAfterMs,
    requestId: error.requestId,
    hint: error.hint,
    code: error.code,
  });
}

/** A wait that the caller's signal can cut short: Ctrl-C must not sit out a 60 s retry-after. */
export function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
