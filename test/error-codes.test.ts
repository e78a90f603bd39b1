import { describe, expect, it } from 'vitest';
import { InterruptedError, ProviderError, RunError, UsageError } from '../src/core/errors.js';

describe('errors carry a stable code beside the exit code', () => {
  it('defaults by class, and a provider failure is named by its kind', () => {
    expect(new UsageError('x')).toMatchObject({ code: 'usage', exitCode: 2 });
    expect(new RunError('x')).toMatchObject({ code: 'failed', exitCode: 1 });
    expect(new InterruptedError()).toMatchObject({ code: 'interrupted', exitCode: 130 });
    expect(new ProviderError('rate-limit', 'x', { requestId: 'req_1' })).toMatchObject({
      code: 'provider-rate-limit',
      requestId: 'req_1',
      exitCode: 1,
    });
  });

  it('a specific code overrides the default', () => {
    expect(new RunError('x', { code: 'changed-on-disk' }).code).toBe('changed-on-disk');
  });
});
