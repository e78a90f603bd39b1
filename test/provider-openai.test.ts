/**
 * The OpenAI provider against a real HTTP server, through the real SDK. Timeouts and backoff are tiny
 * so failures are exercised in milliseconds.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InterruptedError, ProviderError } from '../src/core/errors.js';
import { createOpenAIProvider, type ProviderHooks } from '../src/core/provider/openai-provider.js';
import { loadTokenCounter } from '../src/core/tokens.js';
import type { ChatRequest, ProviderSettings } from '../src/core/provider/types.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const KEY = 'sk-test-SECRETabcdefghijklmnop1234';
const ENV = 'DRAFT_TEST_API_KEY';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

function settings(overrides: Partial<ProviderSettings> = {}): ProviderSettings {
  return {
    provider: 'custom',
    baseURL: server.url,
    model: 'test-model',
    apiKey: KEY,
    apiKeyEnv: ENV,
    timeoutMs: 300,
    maxRetries: 2,
    retryAfterCapMs: 200,
    backoffBaseMs: 10,
    ...overrides,
  };
}

function ask(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return { purpose: 'test', messages: [{ role: 'user', content: 'Write one line about markets.' }], ...overrides };
}

/** Hooks that record every retry and debug line. */
function recorder() {
  const retries: Parameters<NonNullable<ProviderHooks['onRetry']>>[0][] = [];
  const debug: string[] = [];
  const hooks: ProviderHooks = { onRetry: (info) => retries.push(info), debug: (line) => debug.push(line) };
  return { hooks, retries, debug };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

/** A port nothing listens on: bind, note it, close. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('streaming', () => {
  it('streams the reply through onDelta and reports the server usage', async () => {
    server.queue({
      content: 'Stocks slid as bond yields climbed for a third day.',
      chunkSize: 5,
      usage: { prompt_tokens: 11, completion_tokens: 7 },
    });
    const provider = await createOpenAIProvider(settings());
    const deltas: string[] = [];
    const result = await provider.chat(ask({ maxTokens: 64, temperature: 0.2, onDelta: (d) => deltas.push(d) }));

    expect(result.text).toBe('Stocks slid as bond yields climbed for a third day.');
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(result.text);
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toEqual({ inputTokens: 11, outputTokens: 7 });
    expect(result.structuredMode).toBeUndefined();
    expect(provider.info).toEqual({ provider: 'custom', model: 'test-model', baseURL: server.url });

    const [sent] = server.requests;
    expect(sent?.body).toMatchObject({
      model: 'test-model',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 64,
      temperature: 0.2,
      messages: [{ role: 'user', content: 'Write one line about markets.' }],
    });
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('estimates usage with the tokenizer when the server sends none', async () => {
    const events = [
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: 'twelve chars' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
    ];
    server.queue({
      raw: `${events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('')}data: [DONE]\n\n`,
      contentType: 'text/event-stream',
    });
    const provider = await createOpenAIProvider(settings());
    const result = await provider.chat(ask());
    expect(result.text).toBe('twelve chars');
    const counter = await loadTokenCounter();
    expect(result.usage).toEqual({
      inputTokens: counter.countMessages([{ role: 'user', content: 'Write one line about markets.' }]),
      outputTokens: counter.count('twelve chars'),
    });
    expect(result.usageEstimated).toBe(true);
  });

  it('keeps reasoning_content and <think> blocks out of the text and the live stream', async () => {
    server.queue({
      reasoning: 'REASONING-FIELD secret chain of thought',
      content: '<think>INLINE-THOUGHT about tone</think>\n\nThe answer, plainly.',
      chunkSize: 3,
    });
    const provider = await createOpenAIProvider(settings());
    const deltas: string[] = [];
    const result = await provider.chat(ask({ onDelta: (d) => deltas.push(d) }));
    expect(result.text).toBe('The answer, plainly.');
    expect(deltas.join('')).toBe('The answer, plainly.');
    for (const leak of ['REASONING-FIELD', 'INLINE-THOUGHT', 'think>']) {
      expect(deltas.join('')).not.toContain(leak);
      expect(result.text).not.toContain(leak);
    }
  });

  it("returns finish_reason 'length' and empty text instead of throwing", async () => {
    server.queue(
      { content: 'Cut off mid', finishReason: 'length' },
      { content: '' },
      { content: 'Blocked', finishReason: 'content_filter' },
    );
    const provider = await createOpenAIProvider(settings());
    const cut = await provider.chat(ask());
    expect(cut).toMatchObject({ text: 'Cut off mid', finishReason: 'length' });
    const empty = await provider.chat(ask());
    expect(empty).toMatchObject({ text: '', finishReason: 'stop' });
    const filtered = await provider.chat(ask());
    expect(filtered.finishReason).toBe('content_filter');
    expect(server.requests).toHaveLength(3);
  });
});

describe('errors a user can act on', () => {
  it('401 with the key echoed: auth error naming the URL and variable, key never shown', async () => {
    server.queue({
      status: 401,
      body: {
        error: {
          message: `Incorrect API key provided: ${KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      },
    });
    const { hooks, debug } = recorder();
    const provider = await createOpenAIProvider(settings(), hooks);
    const error = await failure(provider.chat(ask()));

    expect(error.kind).toBe('auth');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`authentication failed for ${server.url}`);
    expect(error.message).toContain(ENV);
    expect(error.hint).toContain(ENV);
    expect(error.message).toContain('Incorrect API key provided: [redacted]');
    const everything = [error.message, error.hint, String(error.stack), JSON.stringify(error), ...debug].join('\n');
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain('SECRET');
    expect(server.requests).toHaveLength(1);
  });

  it('redacts a partly masked key the server echoes (sk-proj-****1234)', async () => {
    server.queue({ status: 401, body: { error: { message: 'Incorrect API key provided: sk-proj-****************1234.' } } });
    const provider = await createOpenAIProvider(settings());
    const error = await failure(provider.chat(ask()));
    expect(error.message).not.toContain('sk-proj');
    expect(error.message).toContain('[redacted]');
  });

  it('401 without a key says none was sent', async () => {
    server.queue({ status: 401 });
    const provider = await createOpenAIProvider(settings({ apiKey: undefined }));
    const error = await failure(provider.chat(ask()));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('no API key was sent');
    expect(error.message).toContain(`${ENV} is not set`);
  });

  it('404 names the model and the base URL', async () => {
    server.queue({ status: 404, body: { error: { message: 'The model `test-model` does not exist', code: 'model_not_found' } } });
    const provider = await createOpenAIProvider(settings());
    const error = await failure(provider.chat(ask()));
    expect(error.kind).toBe('model-not-found');
    expect(error.message).toContain('"test-model"');
    expect(error.message).toContain(server.url);
    expect(server.requests).toHaveLength(1);
  });

  it('a prompt over the context window is not retried', async () => {
    server.queue({
      status: 400,
      body: { error: { message: "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens." } },
    });
    const provider = await createOpenAIProvider(settings());
    const error = await failure(provider.chat(ask()));
    expect(error.kind).toBe('context-overflow');
    expect(error.hint).toMatch(/shorten/);
    expect(server.requests).toHaveLength(1);
  });

  it('a 429 for an exhausted quota is not retried', async () => {
    server.queue({ status: 429, body: { error: { message: 'You exceeded your current quota.', code: 'insufficient_quota' } } });
    const provider = await createOpenAIProvider(settings());
    const error = await failure(provider.chat(ask()));
    expect(error.kind).toBe('rate-limit');
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('an HTML error page from a proxy becomes a server error with its status', async () => {
    server.setHandler(() => ({ raw: '<html><body>Bad Gateway</body></html>', status: 502, contentType: 'text/html' }));
    const provider = await createOpenAIProvider(settings({ maxRetries: 1 }));
    const error = await failure(provider.chat(ask()));
    expect(error.kind).toBe('server');
    expect(error.message).toContain('502');
    expect(server.requests).toHaveLength(2);
  });
});

describe('retries', () => {
  it("honours a 429's retry-after but never waits longer than the cap", async () => {
    // An hour: a wait that ignored the cap could not end before the test's own timeout.
    server.queue({ status: 429, headers: { 'retry-after': '3600' } }, { content: 'after the wait' });
    const { hooks, retries } = recorder();
    const provider = await createOpenAIProvider(settings({ retryAfterCapMs: 200 }), hooks);
    const result = await provider.chat(ask());

    expect(result.text).toBe('after the wait');
    expect(server.requests).toHaveLength(2);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ purpose: 'test', attempt: 1, maxRetries: 2, delayMs: 200 });
    expect(retries[0]?.error.kind).toBe('rate-limit');
    expect(retries[0]?.error.retryAfterMs).toBe(3_600_000);
  });

  it('waits what retry-after-ms asks when it is under the cap', async () => {
    server.queue({ status: 429, headers: { 'retry-after-ms': '150' } }, { content: 'ok' });
    const { hooks, retries } = recorder();
    // Part-way through the wait (a timer set when the retry is announced, due well before it ends),
    // the retry must not have reached the server yet.
    let requestsDuringWait: number | undefined;
    const provider = await createOpenAIProvider(settings({ retryAfterCapMs: 5000 }), {
      ...hooks,
      onRetry: (info) => {
        hooks.onRetry!(info);
        setTimeout(() => (requestsDuringWait = server.requests.length), 50);
      },
    });
    await provider.chat(ask());
    expect(retries[0]?.delayMs).toBe(150);
    expect(requestsDuringWait).toBe(1);
    expect(server.requests).toHaveLength(2);
  });

  it('caps a retry-after given as an HTTP date', async () => {
    const later = new Date(Date.now() + 60_000).toUTCString();
    server.queue({ status: 503, headers: { 'retry-after': later } }, { content: 'ok' });
    const { hooks, retries } = recorder();
    const provider = await createOpenAIProvider(settings({ retryAfterCapMs: 100 }), hooks);
    await provider.chat(ask());
    expect(retries[0]?.error.retryAfterMs).toBeGreaterThan(50_000);
    expect(retries[0]?.delayMs).toBe(100);
  });

  it('retries server errors with growing backoff, then succeeds', async () => {
    server.queue({ status: 503 }, { status: 500 }, { content: 'third time lucky' });
    const { hooks, retries } = recorder();
    const provider = await createOpenAIProvider(settings({ backoffBaseMs: 40, retryAfterCapMs: 1000 }), hooks);
    const result = await provider.chat(ask());
    expect(result.text).toBe('third time lucky');
    expect(server.requests).toHaveLength(3);
    expect(retries.map((r) => [r.attempt, r.error.kind, r.error.status])).toEqual([
      [1, 'server', 503],
      [2, 'server', 500],
    ]);
    // 75-100% of base * 2^n
    expect(retries[0]?.delayMs).toBeGreaterThanOrEqual(30);
    expect(retries[0]?.delayMs).toBeLessThanOrEqual(40);
    expect(retries[1]?.delayMs).toBeGreaterThanOrEqual(60);
    expect(retries[1]?.delayMs).toBeLessThanOrEqual(80);
  });

  it('gives up after maxRetries with a message that says so', async () => {
    server.setHandler(() => ({ status: 503, body: { error: { message: 'overloaded' } } }));
    const provider = await createOpenAIProvider(settings({ maxRetries: 2 }));
    const error = await failure(provider.chat(ask()));
    expect(error.kind).toBe('server');
    expect(error.message).toContain(server.url);
    expect(error.message).toContain('503');
    expect(error.message).toContain('overloaded');
    expect(error.message).toContain('gave up after 3 attempts');
    expect(server.requests).toHaveLength(3);
  });

  it('connection refused: unreachable, retried with a doubling backoff, then a clear error', async () => {
    const port = await closedPort();
    const baseURL = `http://127.0.0.1:${port}/v1`;
    const { hooks, retries } = recorder();
    // A 20 ms base keeps the test short; the default's bounds are retry-wait.test.ts's subject.
    const provider = await createOpenAIProvider(
      settings({ baseURL, backoffBaseMs: 20, maxRetries: 2, retryAfterCapMs: 30_000, timeoutMs: 60_000 }),
      hooks,
    );
    const error = await failure(provider.chat(ask()));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toContain(`cannot reach ${baseURL}`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.hint).toMatch(/server running/);
    expect(retries).toHaveLength(2);
    // 20 ms then 40 ms, each jittered down by at most a quarter.
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(15);
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(20);
    expect(retries[1]!.delayMs).toBeGreaterThanOrEqual(30);
    expect(retries[1]!.delayMs).toBeLessThanOrEqual(40);
  });

  it('an unresolvable host fails at once, without retries', async () => {
    const { hooks, retries } = recorder();
    const provider = await createOpenAIProvider(settings({ baseURL: 'http://draft-test.invalid/v1' }), hooks);
    const error = await failure(provider.chat(ask()));
    expect(error.kind).toBe('unreachable');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/host name not found/);
    expect(retries).toHaveLength(0);
  });

  it('a dropped connection is retried, and worded as the server closing it', async () => {
    server.queue({ drop: true }, { content: 'recovered' });
    const { hooks, retries } = recorder();
    const provider = await createOpenAIProvider(settings(), hooks);
    const result = await provider.chat(ask());
    expect(result.text).toBe('recovered');
    expect(server.requests).toHaveLength(2);
    expect(retries[0]?.error.kind).toBe('unreachable');
    expect(retries[0]?.error.message).toMatch(/^cannot reach .*: the server closed the connection \(ECONNRESET\)$/);
  });

  it('a connection lost mid-reply is retried, and the final text is only the complete reply', async () => {
    server.queue({ dropAfterChunks: 3, content: 'PARTIAL-FIRST-ATTEMPT and more text', chunkSize: 8 }, { content: 'whole reply' });
    const { hooks, retries } = recorder();
    const provider = await createOpenAIProvider(settings(), hooks);
    const result = await provider.chat(ask());
    expect(result.text).toBe('whole reply');
    expect(retries[0]?.error.kind).toBe('unreachable');
    expect(retries[0]?.error.message).toContain(`lost the connection to ${server.url} mid-reply`);
  });

  it('a stream that stalls midway hits the idle timeout and is retried', async () => {
    server.queue(
      { stallAfterChunks: 2, content: 'This reply never finishes because the server goes quiet.' },
      { content: 'complete reply' },
    );
    const { hooks, retries } = recorder();
    const provider = await createOpenAIProvider(settings({ timeoutMs: 300 }), hooks);
    const deltas: string[] = [];
    const result = await provider.chat(ask({ onDelta: (d) => deltas.push(d) }));
    expect(result.text).toBe('complete reply');
    // The stall came after the first attempt had streamed: it was timed out for going quiet, not before it began.
    expect(deltas.join('')).toMatch(/^This reply/);
    expect(server.requests).toHaveLength(2);
    expect(retries[0]?.error.kind).toBe('timeout');
    expect(retries[0]?.error.message).toContain(server.url);
    await vi.waitFor(() => expect(server.inFlight).toBe(0));
  });

  it('a slow but steady stream longer than the timeout is not cut off', async () => {
    // Events 60 ms apart: about 650 ms in total, but never 300 ms of silence.
    server.queue({ content: 'x'.repeat(80), chunkSize: 10, chunkDelayMs: 60 });
    const { hooks, retries } = recorder();
    const provider = await createOpenAIProvider(settings({ timeoutMs: 300 }), hooks);
    const result = await provider.chat(ask());
    expect(result.text).toBe('x'.repeat(80));
    expect(retries).toHaveLength(0);
    expect(server.requests).toHaveLength(1);
  });

  it('a server that sends no headers in time is timed out and retried', async () => {
    server.queue({ content: 'too late', delayMs: 2000 }, { content: 'on time' });
    const { hooks, retries } = recorder();
    const provider = await createOpenAIProvider(settings({ timeoutMs: 300 }), hooks);
    const result = await provider.chat(ask());
    expect(result.text).toBe('on time');
    expect(retries[0]?.error.kind).toBe('timeout');
  });

  it('malformed stream JSON is invalid output, retried', async () => {
    server.queue({ raw: 'data: {"id": "x", "choices": [ broken\n\n', contentType: 'text/event-stream' }, { content: 'good' });
    const { hooks, retries } = recorder();
    const provider = await createOpenAIProvider(settings(), hooks);
    const result = await provider.chat(ask());
    expect(result.text).toBe('good');
    expect(retries[0]?.error.kind).toBe('invalid-output');
  });

  it('a body that is not a stream at all ends as invalid output naming the URL', async () => {
    server.setHandler(() => ({ raw: '{"choices": [', contentType: 'application/json' }));
    const provider = await createOpenAIProvider(settings({ maxRetries: 1 }));
    const error = await failure(provider.chat(ask()));
    expect(error.kind).toBe('invalid-output');
    expect(error.message).toContain(server.url);
    expect(error.hint).toContain('/v1');
    expect(server.requests).toHaveLength(2);
  });
});

describe('interruption', () => {
  it('an abort mid-stream throws InterruptedError at once', async () => {
    // The stream stalls after 3 chunks and the idle timeout is an hour: only an abort that acts can end the call.
    server.queue({ stallAfterChunks: 3, content: 'a long reply that will be interrupted by the user' });
    const provider = await createOpenAIProvider(settings({ timeoutMs: 3_600_000 }));
    const controller = new AbortController();
    const outcome = provider.chat(ask({ signal: controller.signal, onDelta: () => controller.abort() }));
    await expect(outcome).rejects.toBeInstanceOf(InterruptedError);
    expect(server.requests).toHaveLength(1);
    await vi.waitFor(() => expect(server.inFlight).toBe(0)); // the stalled connection was closed, not left open
  });

  it('an abort while waiting for the server throws InterruptedError', async () => {
    // The reply would come after an hour and the idle timeout is longer than the test's: only the abort can end the call.
    server.queue({ content: 'slow', delayMs: 3_600_000 });
    const provider = await createOpenAIProvider(settings({ timeoutMs: 3_600_000 }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(provider.chat(ask({ signal: controller.signal }))).rejects.toBeInstanceOf(InterruptedError);
    expect(server.requests).toHaveLength(1);
    await vi.waitFor(() => expect(server.inFlight).toBe(0)); // the request was closed, not left waiting
  });

  it('an abort during a backoff wait ends the wait', async () => {
    server.setHandler(() => ({ status: 503 }));
    const controller = new AbortController();
    // A backoff of ten minutes or so: if the abort did not end it, the test would time out.
    const provider = await createOpenAIProvider(settings({ backoffBaseMs: 600_000, retryAfterCapMs: 3_600_000 }), {
      onRetry: () => setTimeout(() => controller.abort(), 20),
    });
    await expect(provider.chat(ask({ signal: controller.signal }))).rejects.toBeInstanceOf(InterruptedError);
    expect(server.requests).toHaveLength(1);
  });

  it('an already-aborted signal sends nothing', async () => {
    const provider = await createOpenAIProvider(settings());
    await expect(provider.chat(ask({ signal: AbortSignal.abort() }))).rejects.toBeInstanceOf(InterruptedError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('structured output', () => {
  const json = {
    name: 'outline',
    schema: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'], additionalProperties: false },
  };
  const INSTRUCTION = 'Reply with a single JSON object matching this JSON Schema';
  const systemText = (body: any): string =>
    (body.messages as { role: string; content: string }[])
      .filter((m) => m.role === 'system')
      .map((m) => m.content)
      .join('\n');

  it('uses json_schema when the server accepts it', async () => {
    server.queue({ content: '{"title":"Markets"}' });
    const provider = await createOpenAIProvider(settings());
    const result = await provider.chat(ask({ json }));
    expect(result).toMatchObject({ text: '{"title":"Markets"}', structuredMode: 'json_schema' });
    expect(server.requests[0]?.body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'outline', schema: json.schema, strict: true },
    });
    expect(systemText(server.requests[0]?.body)).not.toContain(INSTRUCTION);
  });

  it('falls back json_schema -> json_object -> prompt, and remembers it for the next call', async () => {
    server.setHandler((req) => {
      const type = req.body?.response_format?.type;
      if (type === 'json_schema')
        return { status: 400, body: { error: { message: "'response_format.type' json_schema is not supported" } } };
      if (type === 'json_object') return { status: 422, body: { error: { message: 'json_object unsupported by this backend' } } };
      return { content: '{"title":"Markets"}' };
    });
    const { hooks, retries } = recorder();
    const provider = await createOpenAIProvider(settings(), hooks);
    const messages = [
      { role: 'system' as const, content: 'You are an editor.' },
      { role: 'user' as const, content: 'Outline it.' },
    ];
    const first = await provider.chat(ask({ json, messages }));
    expect(first).toMatchObject({ text: '{"title":"Markets"}', structuredMode: 'prompt' });
    expect(retries).toHaveLength(0); // a fallback is not a retry: no wait, no retry budget spent

    const bodies = server.requests.map((r) => r.body);
    expect(bodies.map((b) => b.response_format?.type)).toEqual(['json_schema', 'json_object', undefined]);
    for (const body of bodies.slice(1)) {
      // One system message, the caller's own, with the schema appended.
      expect(body.messages.filter((m: { role: string }) => m.role === 'system')).toHaveLength(1);
      expect(systemText(body)).toMatch(/^You are an editor\./);
      expect(systemText(body)).toContain(INSTRUCTION);
      expect(systemText(body)).toContain(JSON.stringify(json.schema));
    }

    const second = await provider.chat(ask({ json }));
    expect(second.structuredMode).toBe('prompt');
    expect(server.requests).toHaveLength(4);
    expect(server.requests[3]?.body.response_format).toBeUndefined();
    expect(systemText(server.requests[3]?.body)).toContain(INSTRUCTION);
  });

  it('stops at json_object when that works, and starts there next time', async () => {
    server.setHandler((req) =>
      req.body?.response_format?.type === 'json_schema'
        ? { status: 404, body: { error: { message: 'Not Found' } } }
        : { content: '{"title":"x"}' },
    );
    const provider = await createOpenAIProvider(settings());
    expect((await provider.chat(ask({ json }))).structuredMode).toBe('json_object');
    expect((await provider.chat(ask({ json }))).structuredMode).toBe('json_object');
    expect(server.requests.map((r) => r.body.response_format?.type)).toEqual(['json_schema', 'json_object', 'json_object']);
    // Plain calls never carry a response_format.
    await provider.chat(ask());
    expect(server.requests[3]?.body.response_format).toBeUndefined();
  });

  it('does not fall back on failures that are not about response_format', async () => {
    server.queue(
      { status: 401, body: { error: { message: 'bad key' } } },
      { status: 400, body: { error: { message: 'Unsupported value: temperature', param: 'temperature' } } },
    );
    const provider = await createOpenAIProvider(settings());
    expect((await failure(provider.chat(ask({ json })))).kind).toBe('auth');
    expect((await failure(provider.chat(ask({ json, temperature: 0.3 })))).kind).toBe('bad-request');
    expect(server.requests.map((r) => r.body.response_format?.type)).toEqual(['json_schema', 'json_schema']);
  });
});

describe('keyless local servers', () => {
  it('works without a key and never sends keys from the environment', async () => {
    const saved = { key: process.env.OPENAI_API_KEY, admin: process.env.OPENAI_ADMIN_KEY };
    process.env.OPENAI_API_KEY = 'sk-from-env-must-not-leak';
    process.env.OPENAI_ADMIN_KEY = 'sk-admin-must-not-leak';
    try {
      server.queue({ content: 'local reply' });
      const provider = await createOpenAIProvider(settings({ provider: 'ollama', apiKey: undefined }));
      const result = await provider.chat(ask());
      expect(result.text).toBe('local reply');
      expect(JSON.stringify(server.requests[0]?.headers)).not.toContain('must-not-leak');
    } finally {
      for (const [name, value] of [
        ['OPENAI_API_KEY', saved.key],
        ['OPENAI_ADMIN_KEY', saved.admin],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
