/**
 * Every preset, resolved as a user would configure it and pointed at the test server with --base-url:
 * the path, the auth header and the body fields each one's documented quirks call for, as the
 * server received them. The quirks and their sources are in src/core/presets.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveProviderSettings } from '../src/core/provider-settings.js';
import { ProviderError } from '../src/core/errors.js';
import { createProvider } from '../src/core/provider/create-provider.js';
import type { ChatRequest } from '../src/core/provider/types.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const KEY = 'sk-preset-test-abcdefghijklmnop';
const none = { config: {} };

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ handler: () => ({ content: '{"title":"Markets"}' }) });
});
afterEach(async () => {
  await server.close();
});

const OUTLINE: ChatRequest = {
  purpose: 'outline',
  messages: [
    { role: 'system', content: 'You plan blog posts.' },
    { role: 'user', content: 'Plan a post about markets.' },
  ],
  json: {
    name: 'outline',
    schema: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'], additionalProperties: false },
  },
  targetWords: 100,
};

/** What each preset's documentation says, as the test expects to see it on the wire. */
const DOCUMENTED = [
  {
    name: 'openai',
    baseURL: 'https://api.openai.com/v1',
    keyEnv: 'OPENAI_API_KEY',
    model: 'gpt-4o-mini',
    cap: 'max_completion_tokens',
    streamOptions: true,
    format: 'json_schema',
  },
  {
    name: 'anthropic',
    baseURL: 'https://api.anthropic.com/v1',
    keyEnv: 'ANTHROPIC_API_KEY',
    model: 'claude-haiku-4-5',
    cap: 'max_tokens',
    streamOptions: true,
    format: 'prompt',
  },
  {
    name: 'gemini',
    baseURL: 'https://generativelanguage.googleapis.com/v1beta/openai',
    keyEnv: 'GEMINI_API_KEY',
    model: 'gemini-2.5-flash-lite',
    cap: 'max_tokens',
    streamOptions: true,
    format: 'json_schema',
  },
  {
    name: 'groq',
    baseURL: 'https://api.groq.com/openai/v1',
    keyEnv: 'GROQ_API_KEY',
    model: 'llama-3.1-8b-instant',
    cap: 'max_completion_tokens',
    streamOptions: true,
    format: 'json_schema',
  },
  {
    name: 'together',
    baseURL: 'https://api.together.xyz/v1',
    keyEnv: 'TOGETHER_API_KEY',
    model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
    cap: 'max_tokens',
    streamOptions: true,
    format: 'json_schema',
  },
  {
    name: 'mistral',
    baseURL: 'https://api.mistral.ai/v1',
    keyEnv: 'MISTRAL_API_KEY',
    model: 'mistral-small-latest',
    cap: 'max_tokens',
    streamOptions: false,
    format: 'json_schema',
  },
  {
    name: 'deepseek',
    baseURL: 'https://api.deepseek.com/v1',
    keyEnv: 'DEEPSEEK_API_KEY',
    model: 'deepseek-chat',
    cap: 'max_tokens',
    streamOptions: true,
    format: 'json_schema',
  },
  {
    name: 'openrouter',
    baseURL: 'https://openrouter.ai/api/v1',
    keyEnv: 'OPENROUTER_API_KEY',
    model: 'openai/gpt-4o-mini',
    cap: 'max_tokens',
    streamOptions: true,
    format: 'json_schema',
  },
  {
    name: 'vllm',
    baseURL: 'http://127.0.0.1:8000/v1',
    keyEnv: undefined,
    model: 'Qwen/Qwen2.5-1.5B-Instruct',
    cap: 'max_tokens',
    streamOptions: true,
    format: 'json_schema',
  },
  {
    name: 'llamacpp',
    baseURL: 'http://127.0.0.1:8080/v1',
    keyEnv: undefined,
    model: 'local-model',
    cap: 'max_tokens',
    streamOptions: true,
    format: 'json_schema',
  },
  {
    name: 'ollama',
    baseURL: 'http://127.0.0.1:11434/v1',
    keyEnv: undefined,
    model: 'llama3.1',
    cap: 'max_tokens',
    streamOptions: true,
    format: 'json_schema',
  },
  {
    name: 'lmstudio',
    baseURL: 'http://127.0.0.1:1234/v1',
    keyEnv: undefined,
    model: 'local-model',
    cap: 'max_tokens',
    streamOptions: true,
    format: 'json_schema',
  },
] as const;

describe.each(DOCUMENTED)('preset $name', (preset) => {
  const env = preset.keyEnv ? { [preset.keyEnv]: KEY } : {};

  it('resolves to its documented base URL, key variable and default model', () => {
    const settings = resolveProviderSettings({ provider: preset.name }, env, none);
    expect(settings).toMatchObject({ provider: preset.name, baseURL: preset.baseURL, model: preset.model });
    expect(settings.apiKeyEnv).toBe(preset.keyEnv);
    if (preset.keyEnv) {
      expect(settings.apiKey).toBe(KEY);
      expect(() => resolveProviderSettings({ provider: preset.name }, {}, none)).toThrow(`${preset.keyEnv} is not set`);
    }
  });

  it('sends the body its documentation calls for', async () => {
    const settings = resolveProviderSettings({ provider: preset.name, baseUrl: server.url }, env, none);
    const provider = await createProvider(settings);
    const result = await provider.chat(OUTLINE);
    expect(result.text).toBe('{"title":"Markets"}');

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.path).toBe('/v1/chat/completions');
    expect(request!.headers.authorization).toBe(preset.keyEnv ? `Bearer ${KEY}` : 'Bearer no-key');
    const body = request!.body;
    expect(body.model).toBe(preset.model);
    // The reply cap is sent under the documented name only.
    const other = preset.cap === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens';
    expect(body[preset.cap]).toBeGreaterThan(0);
    expect(body).not.toHaveProperty(other);
    if (preset.streamOptions) expect(body.stream_options).toEqual({ include_usage: true });
    else expect(body).not.toHaveProperty('stream_options');
    if (preset.format === 'prompt') {
      // response_format would be ignored, so the schema is in the (single, first) system message.
      expect(body).not.toHaveProperty('response_format');
      expect(body.messages[0].role).toBe('system');
      expect(body.messages[0].content).toContain('"required":["title"]');
      expect(body.messages.filter((m: { role: string }) => m.role === 'system')).toHaveLength(1);
    } else {
      expect(body.response_format.type).toBe('json_schema');
      expect(body.messages[0].content).toBe('You plan blog posts.');
    }
    expect(body).not.toHaveProperty('seed');
  });
});

describe('run-time fallbacks for what a preset does not document', () => {
  it('a Groq model without json_schema support gets json_object on the next request', async () => {
    server.queue({
      status: 400,
      body: {
        error: {
          message: 'This model does not support response format `json_schema`.',
          type: 'invalid_request_error',
          param: 'response_format',
        },
      },
    });
    const settings = resolveProviderSettings({ provider: 'groq', baseUrl: server.url }, { GROQ_API_KEY: KEY }, none);
    const result = await (await createProvider(settings)).chat(OUTLINE);
    expect(result.structuredMode).toBe('json_object');
    expect(server.requests.map((r) => r.body.response_format?.type)).toEqual(['json_schema', 'json_object']);
    expect(server.requests[1]!.body.max_completion_tokens).toBeGreaterThan(0);
  });

  it("a server that refuses max_tokens (OpenAI's and Azure's reasoning models) gets max_completion_tokens", async () => {
    server.queue({
      status: 400,
      body: {
        error: {
          message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
          type: 'invalid_request_error',
          param: 'max_tokens',
          code: 'unsupported_parameter',
        },
      },
    });
    const settings = resolveProviderSettings({ baseUrl: server.url, model: 'o4-mini' }, {}, none);
    const provider = await createProvider(settings);
    await provider.chat(OUTLINE);
    await provider.chat(OUTLINE);
    expect(server.requests.map((r) => ('max_tokens' in r.body ? 'max_tokens' : 'max_completion_tokens'))).toEqual([
      'max_tokens',
      'max_completion_tokens',
      'max_completion_tokens', // remembered for the run
    ]);
  });

  it('a server that refuses max_completion_tokens (older Azure api-versions, proxies) gets max_tokens', async () => {
    server.queue({
      status: 400,
      body: {
        error: {
          message: 'Unrecognized request argument supplied: max_completion_tokens',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      },
    });
    const settings = resolveProviderSettings({ provider: 'openai', baseUrl: server.url }, { OPENAI_API_KEY: KEY }, none);
    await (await createProvider(settings)).chat(OUTLINE);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.body).toHaveProperty('max_tokens');
    expect(server.requests[1]!.body).not.toHaveProperty('max_completion_tokens');
  });

  it('a 400 about something else is not mistaken for the cap field', async () => {
    server.queue({
      status: 400,
      body: { error: { message: 'messages: too many items', type: 'invalid_request_error', param: 'messages' } },
    });
    const settings = resolveProviderSettings(
      { provider: 'mistral', baseUrl: server.url },
      { MISTRAL_API_KEY: KEY },
      { config: { maxRetries: 0 } },
    );
    const error = await (await createProvider(settings)).chat({ ...OUTLINE, json: undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('choosing a provider from the environment', () => {
  it('the first preset whose key variable is set, in the documented order', () => {
    expect(resolveProviderSettings({}, { GROQ_API_KEY: KEY }, none).provider).toBe('groq');
    expect(resolveProviderSettings({}, { MISTRAL_API_KEY: KEY, ANTHROPIC_API_KEY: KEY }, none).provider).toBe('anthropic');
    expect(resolveProviderSettings({}, { GEMINI_API_KEY: KEY, OPENAI_API_KEY: KEY }, none).provider).toBe('openai');
    // Azure needs its endpoint too; a key alone does not choose it.
    expect(() => resolveProviderSettings({}, { AZURE_OPENAI_API_KEY: KEY }, none)).toThrow('no model provider is configured');
  });
});
