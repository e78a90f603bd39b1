/**
 * A `draft batch` process sends its requests from a provider thread (thread-host.ts); the in-process
 * batch tests run from sources, where there is none. What crosses the thread is checked here, through
 * the built CLI: the one concurrency limit, retry warnings, a failure's report entry, --debug lines,
 * and the key never shown.
 */
import { describe, expect, it } from 'vitest';
import {
  draftProcess as draft,
  filesIn,
  KEY,
  manifestOf,
  put,
  readJson,
  REQUESTS_PER_SMALL_DRAFT,
  useBatchEnv,
} from './fixtures/batch/harness.js';
import { lastUserMessage, scriptedModel } from './support/scripted-model.js';

const env = useBatchEnv();

describe('draft batch through its provider thread', () => {
  it('keeps one limit across two models, retries with a warning, and writes every draft', async () => {
    env.server.setDelay(40);
    await put(env, 'briefs.yaml', manifestOf(6).replace('  - id: post-2\n', '  - id: post-2\n    model: gpt-4o\n'));
    env.server.queue({ drop: true }, { status: 429, headers: { 'retry-after': '0' } }, { status: 503, headers: { 'retry-after': '0' } });
    const result = await draft(env, ['batch', 'briefs.yaml', '--concurrency', '3', '--retries', '3', '--report', 'report.json']);
    expect(result.code, result.stderr).toBe(0);
    expect(env.server.maxInFlight).toBe(3);
    expect(env.server.requests).toHaveLength(6 * REQUESTS_PER_SMALL_DRAFT + 3);
    // The three failures hit three requests in flight at once: each is retried, and said so.
    expect(result.stderr).toMatch(/^warning: cannot reach .*the server closed the connection.*; retry 1\/3 in /m);
    expect(result.stderr).toMatch(/^warning: rate limited by .* \(429\).*; retry 1\/3 in /m);
    expect(result.stderr).toMatch(/^warning: .* had a server error \(503\).*; retry 1\/3 in /m);
    expect(await filesIn(env)).toHaveLength(6);
    const report = await readJson(env, 'report.json');
    expect(report.totals).toMatchObject({ ok: 6, failed: 0 });
    expect(report.entries[1]).toMatchObject({ id: 'post-2', model: 'gpt-4o' });
  });

  it('reports a failed draft with the provider’s code, message and request id, the key redacted, and exits 1', async () => {
    env.server.setHandler(
      scriptedModel({
        override: (_kind, req) =>
          lastUserMessage(req).includes('Topic number 2')
            ? { status: 401, headers: { 'x-request-id': 'req_thread_401' }, body: { error: { message: `bad key ${KEY}`, type: 'auth' } } }
            : undefined,
      }),
    );
    await put(env, 'briefs.yaml', manifestOf(3));
    const result = await draft(env, ['batch', 'briefs.yaml', '--report', 'report.json']);
    expect(result.code).toBe(1);
    const failed = (await readJson(env, 'report.json')).entries.find((e: any) => e.id === 'post-2');
    expect(failed).toMatchObject({ status: 'failed', code: 'provider-auth', requestId: 'req_thread_401' });
    expect(failed.error).toMatch(/^authentication failed for .* with the key from OPENAI_API_KEY \(401\): bad key \[redacted\]$/);
    expect(await filesIn(env)).toEqual(['post-1.md', 'post-3.md']);
    expect(`${result.stdout}${result.stderr}${JSON.stringify(failed)}`).not.toContain(KEY);
  });

  it('prints each request under --debug, with no key in it', async () => {
    await put(env, 'briefs.yaml', manifestOf(1));
    const result = await draft(env, ['batch', 'briefs.yaml', '--debug']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/-> the outline: POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions model=/);
    expect(result.stderr).toMatch(/<- the outline: finish=stop/);
    expect(result.stderr).not.toContain(KEY);
  });
});
