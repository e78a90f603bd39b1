/**
 * A batch's provider errors cross from its provider thread as plain data (thread-messages.ts) and must
 * come back as what they were: the report's code, hint and request id, and the exit code, depend on it.
 */
import { describe, expect, it } from 'vitest';
import { errorFacts, InterruptedError, isAbortError, ProviderError, RunError, UsageError } from '../src/core/errors.js';
import { errorData, errorFrom } from '../src/core/provider/thread-messages.js';

/** Through structured cloning, as postMessage sends it. */
const across = (error: unknown) => errorFrom(structuredClone(errorData(error)));

describe('errors from the provider thread', () => {
  it('come back as a ProviderError with every field the report and the retry loop read', () => {
    const original = new ProviderError('rate-limit', 'the server is busy (429)', {
      hint: 'wait, or lower --concurrency',
      retryable: true,
      status: 429,
      retryAfterMs: 2000,
      requestId: 'req_abc',
    });
    const back = across(original);
    expect(back).toBeInstanceOf(ProviderError);
    expect(back).toMatchObject({
      kind: 'rate-limit',
      message: 'the server is busy (429)',
      hint: 'wait, or lower --concurrency',
      code: 'provider-rate-limit',
      retryable: true,
      status: 429,
      retryAfterMs: 2000,
      requestId: 'req_abc',
    });
    expect(errorFacts(back)).toEqual(errorFacts(original));
    expect(back.stack).toBe(original.stack);
  });

  it('keep their class, so an interruption still exits 130 and a usage error 2', () => {
    const interrupted = across(new InterruptedError());
    expect(interrupted).toBeInstanceOf(InterruptedError);
    expect(isAbortError(interrupted)).toBe(true);
    expect(errorFacts(interrupted).exitCode).toBe(130);
    expect(errorFacts(across(new UsageError('bad flag', { hint: 'see --help', code: 'bad-flag' })))).toEqual({
      code: 'bad-flag',
      message: 'bad flag',
      hint: 'see --help',
      exitCode: 2,
    });
    expect(across(new RunError('failed'))).toBeInstanceOf(RunError);
  });

  it('keep the name of anything else: an abort from fetch is still an abort, a bug still a bug', () => {
    const abort = new Error('This operation was aborted');
    abort.name = 'AbortError';
    expect(isAbortError(across(abort))).toBe(true);
    const bug = across(new TypeError('x is undefined'));
    expect(bug.name).toBe('TypeError');
    expect(errorFacts(bug)).toMatchObject({ code: 'unexpected', message: 'x is undefined', exitCode: 1 });
    expect(across('a thrown string').message).toBe('a thrown string');
  });
});
