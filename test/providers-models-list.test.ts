/**
 * `draft models list --provider NAME` / `--base-url URL` against the test server's GET /v1/models:
 * the listing, the configured model marked, the auth each preset sends, and failures worded like
 * chat failures. The local GGUF listing is covered by models-list.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runModelsList } from '../src/commands/models.js';
import { ProviderError, RunError, UsageError } from '../src/core/errors.js';
import { PRESETS } from '../src/core/presets.js';
import { makeTempDir } from './support/cli.js';
import { runCommand } from './support/run-command.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const KEY = 'sk-models-list-abcdefghijklmnop';
let server: TestServer;
let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  server = await startTestServer();
  tmp = await makeTempDir('providers-models-');
});
afterEach(async () => {
  await server.close();
  await tmp.cleanup();
});

const list = (options: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) =>
  runCommand((ctx) => runModelsList(options, ctx), { cwd: tmp.dir, env });

describe('models list against a server', () => {
  it('lists /v1/models and marks the configured default', async () => {
    server.setModels([
      { id: 'llama-3.3-70b-versatile', owned_by: 'Meta' },
      { id: 'llama-3.1-8b-instant', owned_by: 'Meta' },
      { id: 'whisper-large-v3', owned_by: 'OpenAI' },
    ]);
    const { stdout, stderr } = await list({ provider: 'groq', baseUrl: server.url }, { GROQ_API_KEY: KEY });
    expect(stdout.split('\n')).toEqual([
      '   MODEL                    OWNED BY',
      '*  llama-3.1-8b-instant     Meta',
      '   llama-3.3-70b-versatile  Meta',
      '   whisper-large-v3         OpenAI',
      '',
    ]);
    expect(stderr).toContain(`Models at ${server.url} (groq) (* = the model this configuration uses)`);
    expect(server.modelRequests).toHaveLength(1);
    expect(server.modelRequests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(server.requests).toHaveLength(0); // nothing was sent to the chat endpoint
  });

  it('--json, with --model marking another one', async () => {
    const { stdout } = await list({ baseUrl: server.url, model: 'test-model', json: true });
    expect(JSON.parse(stdout)).toEqual({
      provider: 'custom',
      baseURL: server.url,
      default: 'test-model',
      models: [{ id: 'test-model', ownedBy: 'test-server', default: true }],
    });
  });

  it.each(Object.keys(PRESETS).filter((name) => name !== 'azure' && name !== 'custom'))('works for the %s preset', async (name) => {
    const preset = PRESETS[name]!;
    const env = preset.keyEnv ? { [preset.keyEnv]: KEY } : {};
    const { stdout } = await list({ provider: name, baseUrl: server.url, json: true }, env);
    expect(JSON.parse(stdout).models.map((m: { id: string }) => m.id)).toEqual(['test-model']);
    const headers = server.modelRequests[0]!.headers;
    if (name === 'anthropic') {
      // Anthropic's Models API takes the key as x-api-key.
      expect(headers['x-api-key']).toBe(KEY);
      expect(headers['anthropic-version']).toBe('2023-06-01');
      expect(headers.authorization).toBeUndefined();
    } else {
      expect(headers.authorization).toBe(preset.keyEnv ? `Bearer ${KEY}` : undefined);
    }
  });

  it('says when the configured model is not offered, and never prints escape sequences from the server', async () => {
    server.setModels([{ id: 'evil\u001b[2Jmodel', owned_by: 'x\ny' }]);
    const { stdout, stderr } = await list({ provider: 'vllm', baseUrl: server.url });
    expect(stdout).toContain('evil?[2Jmodel  x?y');
    expect(stdout).not.toContain('\u001b');
    expect(stderr).toContain('the configured model "Qwen/Qwen2.5-1.5B-Instruct" is not in this list');
  });

  it('a missing key is refused before any request', async () => {
    const error = await list({ provider: 'mistral', baseUrl: server.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('MISTRAL_API_KEY is not set (needed for --provider mistral)');
    expect(server.modelRequests).toHaveLength(0);
  });

  it('a server without /models says so', async () => {
    const error = await list({ provider: 'together', baseUrl: `${server.origin}/nothing/v1` }, { TOGETHER_API_KEY: KEY }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RunError);
    expect((error as Error).message).toBe(`${server.origin}/nothing/v1 has no model list (404 for GET ${server.origin}/nothing/v1/models)`);
  });

  it('an unreachable server is "cannot reach"', async () => {
    const gone = await startTestServer();
    const url = gone.url;
    await gone.close();
    const error = await list({ provider: 'llamacpp', baseUrl: url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toContain(`cannot reach ${url}`);
  });

  it('Azure is refused with where to find deployments', async () => {
    const error = await list({ provider: 'azure', baseUrl: server.origin }, { AZURE_OPENAI_API_KEY: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).hint).toContain('az cognitiveservices account deployment list');
  });
});
