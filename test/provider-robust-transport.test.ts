/**
 * Bad servers, over real HTTP: one that refuses stream_options, one behind Basic auth named in the
 * base URL, one that echoes the key, one that never stops talking, and retry waits that must not
 * hold a concurrency slot.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../src/core/errors.js';
import { callForChecked, callForText, UsageMeter } from '../src/core/drafting/model-call.js';
import { limitConcurrency } from '../src/core/provider/limited.js';
import { createOpenAIProvider } from '../src/core/provider/openai-provider.js';
import { redactUrl } from '../src/core/provider/redact.js';
import { withResponseCache } from '../src/core/provider/response-cache.js';
import type { ChatRequest, ProviderSettings } from '../src/core/provider/types.js';
import { loadTokenCounter } from '../src/core/tokens.js';
import { makeTempDir } from './support/cli.js';
import { lastUserMessage } from './support/scripted-model.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const KEY = 'sk-robust-KEYabcdefghijklmnop9876';

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
    apiKeyEnv: 'ROBUST_KEY',
    timeoutMs: 5_000,
    maxRetries: 2,
    retryAfterCapMs: 2_000,
    backoffBaseMs: 10,
    ...overrides,
  };
}

function ask(content = 'Write one line about markets.', overrides: Partial<ChatRequest> = {}): ChatRequest {
  return { purpose: 'test', messages: [{ role: 'user', content }], ...overrides };
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('a server that refuses stream_options', () => {
  beforeEach(() => {
    server.setHandler((req) =>
      req.body?.stream_options
        ? {
            status: 400,
            body: {
              error: { message: 'Unrecognized request argument supplied: stream_options', type: 'invalid_request_error', code: null },
            },
          }
        : { content: 'Markets moved on the news.' },
    );
  });

  it('is asked again without it, remembers that for the run, and usage is estimated with the tokenizer', async () => {
    let noticed = 0;
    const provider = await createOpenAIProvider(settings({ maxRetries: 0 }), { onNoStreamUsage: () => noticed++ });
    const first = await provider.chat(ask());
    const second = await provider.chat(ask('Another line.'));
    expect(first.text).toBe('Markets moved on the news.');
    expect(second.text).toBe('Markets moved on the news.');
    // Refused once, then never sent again by this provider.
    expect(server.requests.map((r) => r.body.stream_options !== undefined)).toEqual([true, false, false]);
    expect(noticed).toBe(1);
    const counter = await loadTokenCounter();
    expect(first.usage).toEqual({
      inputTokens: counter.countMessages(ask().messages),
      outputTokens: counter.count('Markets moved on the news.'),
    });
    expect(first.usageEstimated).toBe(true);
  });

  it('does not step the structured mode down for it', async () => {
    const provider = await createOpenAIProvider(settings({ maxRetries: 0 }));
    const json = { name: 'x', schema: { type: 'object', properties: {}, additionalProperties: false, required: [] } };
    server.setHandler((req) =>
      req.body?.stream_options
        ? { status: 400, body: { error: { message: 'Unrecognized request argument supplied: stream_options' } } }
        : { content: '{}' },
    );
    const result = await provider.chat(ask('Reply with JSON.', { json }));
    expect(result.structuredMode).toBe('json_schema');
    expect(server.requests.map((r) => r.body.response_format?.type)).toEqual(['json_schema', 'json_schema']);
  });
});

describe('credentials in the base URL', () => {
  const PASSWORD = 'hunter2-SECRET-pw';
  const withUserinfo = () => server.url.replace('http://', `http://editor:${PASSWORD}@`);
  const expectedHeader = `Basic ${Buffer.from(`editor:${PASSWORD}`).toString('base64')}`;

  it('are sent as a Basic Authorization header to the URL without them, in one request', async () => {
    server.setHandler((req) =>
      req.headers.authorization === expectedHeader
        ? { content: 'Behind the proxy.' }
        : { status: 401, body: { error: { message: 'no auth' } } },
    );
    const provider = await createOpenAIProvider(settings({ baseURL: withUserinfo(), apiKey: undefined }));
    const result = await provider.chat(ask());
    expect(result.text).toBe('Behind the proxy.');
    expect(server.requests).toHaveLength(1);
    expect(provider.info.baseURL).toBe(server.url);
  });

  it('never appear in an error, even when the server quotes them', async () => {
    server.setHandler(() => ({ status: 500, body: { error: { message: `upstream ${withUserinfo()} failed for ${PASSWORD}` } } }));
    const provider = await createOpenAIProvider(settings({ baseURL: withUserinfo(), maxRetries: 0 }));
    const error = await rejection(provider.chat(ask()));
    expect(error.message).toContain(server.url);
    expect(`${error.message} ${error.hint ?? ''}`).not.toContain(PASSWORD);
  });

  it('are redacted wherever a base URL is printed', () => {
    expect(redactUrl(withUserinfo())).toBe(server.url.replace('http://', 'http://[redacted]@'));
    expect(redactUrl(withUserinfo())).not.toContain(PASSWORD);
    expect(redactUrl(server.url)).toBe(server.url);
  });
});

describe('a server that echoes the key in its reply', () => {
  it('has the key scrubbed before the reply is returned or cached, and says so', async () => {
    server.setHandler(() => ({ content: `Your key is ${KEY}, keep it safe.` }));
    const scrubbed: string[] = [];
    const cache = await makeTempDir('robust-cache');
    try {
      const provider = withResponseCache(
        await createOpenAIProvider(settings(), { onSecretScrubbed: ({ purpose }) => scrubbed.push(purpose) }),
        {
          dir: cache.dir,
        },
      );
      const meter = new UsageMeter();
      const result = await callForText(provider, ask(), meter);
      expect(result.text).toBe('Your key is [redacted], keep it safe.');
      expect(scrubbed).toEqual(['test']);
      expect(meter.secretsScrubbed).toBe(1);
      const [shard] = await readdir(cache.dir);
      const [entry] = await readdir(join(cache.dir, shard!));
      const stored = await readFile(join(cache.dir, shard!, entry!), 'utf8');
      expect(stored).toContain('[redacted]');
      expect(stored).not.toContain(KEY);
    } finally {
      await cache.cleanup();
    }
  });
});

describe('replies that do not stop', () => {
  const TEN_MB = 'word '.repeat(2 * 1024 * 1024);

  it('ask for max_tokens from the word target, stop reading at the byte cap, and fail as "reply too long"', async () => {
    server.setHandler(() => ({ content: TEN_MB, chunkSize: 64 * 1024 }));
    const provider = await createOpenAIProvider(settings({ maxRetries: 0 }));
    const result = await provider.chat(ask('Write 100 words.', { targetWords: 100 }));
    expect(server.requests[0]!.body.max_tokens).toBe(800);
    expect(result.tooLong).toBe(true);
    expect(result.finishReason).toBe('length');
    expect(Buffer.byteLength(result.text)).toBeLessThan(200 * 1024);

    const error = await rejection(
      callForText(provider, ask('Write 100 words.', { purpose: 'section 2', targetWords: 100 }), new UsageMeter()),
    );
    expect(error.message).toMatch(/section 2 .*reply too long/);
  });

  it('keep a lower --max-tokens, and a reply far over its target fails even when the server stops', async () => {
    server.setHandler(() => ({ content: 'word '.repeat(2_000) }));
    const provider = await createOpenAIProvider(settings({ maxRetries: 0 }));
    const error = await rejection(callForText(provider, ask('Write 100 words.', { targetWords: 100, maxTokens: 300 }), new UsageMeter()));
    expect(server.requests[0]!.body.max_tokens).toBe(300);
    expect(error.message).toContain('reply too long');
  });

  it('stop at a streamed line that never ends, as at the byte cap', async () => {
    server.setHandler(() => ({
      raw: `data: {"choices":[{"index":0,"delta":{"content":"${'word '.repeat(600_000)}`,
      contentType: 'text/event-stream',
    }));
    const provider = await createOpenAIProvider(settings({ maxRetries: 0 }));
    const result = await provider.chat(ask('Write 100 words.', { targetWords: 100 }));
    expect(result.tooLong).toBe(true);
    expect(result.finishReason).toBe('length');
    expect(result.text).toBe('');
  });

  it('are capped even when nothing says how long they should be', async () => {
    server.setHandler(() => ({ content: TEN_MB, chunkSize: 256 * 1024 }));
    const provider = await createOpenAIProvider(settings({ maxRetries: 0 }));
    const result = await provider.chat(ask());
    expect(result.tooLong).toBe(true);
    expect(Buffer.byteLength(result.text)).toBeLessThanOrEqual(1024 * 1024);
  });
});

describe('retry waits', () => {
  it('give the concurrency slot to the next request while waiting out a retry-after', async () => {
    let waited = false;
    server.setHandler((req) => {
      const text = lastUserMessage(req);
      if (text === 'A' && !waited) {
        waited = true;
        return { status: 429, headers: { 'retry-after-ms': '500' }, body: { error: { message: 'slow down' } } };
      }
      return { content: `reply to ${text}` };
    });
    const provider = limitConcurrency(await createOpenAIProvider(settings()), 1);
    const a = provider.chat(ask('A'));
    const b = provider.chat(ask('B'));
    expect((await Promise.all([a, b])).map((r) => r.text)).toEqual(['reply to A', 'reply to B']);
    // B is sent while A waits; A's retry comes after. Holding the slot gives A, A, B.
    expect(server.requests.map(lastUserMessage)).toEqual(['A', 'B', 'A']);
    expect(server.maxInFlight).toBe(1);
  });
});

describe('a server that rejects json_schema and answers json_object badly', () => {
  it('is given a plain prompt before the call gives up', async () => {
    server.setHandler((req) => {
      const type = req.body.response_format?.type;
      if (type === 'json_schema') return { status: 400, body: { error: { message: "response_format 'json_schema' is not supported" } } };
      if (type === 'json_object') return { content: '{"answer": 42}' };
      return { content: '{"title": "Plain prompts work"}' };
    });
    const provider = await createOpenAIProvider(settings({ maxRetries: 0 }));
    const json = {
      name: 'title',
      schema: { type: 'object', additionalProperties: false, required: ['title'], properties: { title: { type: 'string' } } },
    };
    const value = await callForChecked<string>(
      provider,
      {
        purpose: 'the title',
        render: () => ask('Give a title.').messages,
        json,
        check: (reply) => {
          const parsed = JSON.parse(reply) as { title?: unknown };
          return typeof parsed.title === 'string' ? { value: parsed.title } : { problem: 'no title' };
        },
        unusable: "the model's title was unusable",
      },
      new UsageMeter(),
    );
    expect(value).toBe('Plain prompts work');
    expect(server.requests.map((r) => r.body.response_format?.type ?? 'prompt')).toEqual([
      'json_schema',
      'json_object',
      'json_object',
      'prompt',
    ]);
  });
});
