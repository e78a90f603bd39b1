/**
 * Azure OpenAI through the SDK's AzureOpenAI client, against the test server standing in for the
 * resource endpoint: the deployment path, the api-version query, the api-key header, and errors that
 * name the deployment.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveProviderSettings } from '../src/core/provider-settings.js';
import { ProviderError } from '../src/core/errors.js';
import { createProvider } from '../src/core/provider/create-provider.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const KEY = 'azure-key-0123456789abcdef0123';
const none = { config: {} };
const ask = { purpose: 'introduction', messages: [{ role: 'user' as const, content: 'Write one line.' }], targetWords: 50 };

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ handler: () => ({ content: 'One line.' }) });
});
afterEach(async () => {
  await server.close();
});

describe('azure requests', () => {
  it('go to /openai/deployments/<name>/chat/completions?api-version=… with the api-key header', async () => {
    const settings = resolveProviderSettings(
      { provider: 'azure', baseUrl: server.origin, deployment: 'drafting-4o-mini', apiVersion: '2025-01-01-preview' },
      { AZURE_OPENAI_API_KEY: KEY, OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' },
      none,
    );
    const debug: string[] = [];
    const result = await (await createProvider(settings, { debug: (line) => debug.push(line) })).chat(ask);
    expect(result.text).toBe('One line.');
    expect(debug[0]).toContain(`POST ${server.origin}/openai/deployments/drafting-4o-mini/chat/completions?api-version=2025-01-01-preview`);

    const [request] = server.requests;
    expect(request!.path).toBe('/openai/deployments/drafting-4o-mini/chat/completions');
    expect(request!.query).toBe('?api-version=2025-01-01-preview');
    expect(request!.headers['api-key']).toBe(KEY);
    expect(request!.headers.authorization).toBeUndefined();
    // Azure reasoning deployments refuse max_tokens; max_completion_tokens works for all.
    expect(request!.body.max_completion_tokens).toBeGreaterThan(0);
    expect(request!.body).not.toHaveProperty('max_tokens');
  });

  it('take endpoint, key and api-version from the environment, and the deployment from --model', async () => {
    const settings = resolveProviderSettings(
      { model: 'team-gpt' },
      { AZURE_OPENAI_API_KEY: KEY, AZURE_OPENAI_ENDPOINT: `${server.origin}/`, OPENAI_API_VERSION: '2024-06-01' },
      none,
    );
    expect(settings).toMatchObject({
      provider: 'azure',
      model: 'team-gpt',
      azure: { endpoint: server.origin, deployment: 'team-gpt', apiVersion: '2024-06-01' },
    });
    await (await createProvider(settings)).chat(ask);
    expect(server.requests[0]!.path).toBe('/openai/deployments/team-gpt/chat/completions');
    expect(server.requests[0]!.query).toBe('?api-version=2024-06-01');
  });

  it('take them from the config file, with the default api-version', async () => {
    const settings = resolveProviderSettings(
      {},
      { AZURE_OPENAI_API_KEY: KEY },
      {
        config: { provider: 'azure', azure: { endpoint: server.origin, deployment: 'from-config' } },
      },
    );
    await (await createProvider(settings)).chat(ask);
    expect(server.requests[0]!.path).toBe('/openai/deployments/from-config/chat/completions');
    expect(server.requests[0]!.query).toBe('?api-version=2024-10-21');
  });
});

describe('azure errors name the deployment', () => {
  const settingsFor = (deployment: string) =>
    resolveProviderSettings({ provider: 'azure', baseUrl: server.origin, deployment, retries: 0 }, { AZURE_OPENAI_API_KEY: KEY }, none);

  it('a missing deployment (404)', async () => {
    server.queue({
      status: 404,
      body: { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' } },
    });
    const error = (await (await createProvider(settingsFor('gpt-typo'))).chat(ask).catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toContain('Azure OpenAI deployment "gpt-typo" was not found at');
    expect(error.hint).toContain('--deployment');
  });

  it('a rejected key (401), never showing the key', async () => {
    server.queue({ status: 401, body: { error: { code: '401', message: 'Access denied due to invalid subscription key.' } } });
    const error = (await (await createProvider(settingsFor('prod-4o'))).chat(ask).catch((e: unknown) => e)) as ProviderError;
    expect(error.message).toContain('deployment "prod-4o"');
    expect(error.message).toContain('AZURE_OPENAI_API_KEY');
    expect(`${error.message} ${error.hint}`).not.toContain(KEY);
  });

  it('settings that are incomplete are refused before anything is sent', () => {
    const env = { AZURE_OPENAI_API_KEY: KEY };
    expect(() => resolveProviderSettings({ provider: 'azure', deployment: 'd' }, env, none)).toThrow(
      /--base-url: the Azure OpenAI endpoint is required/,
    );
    expect(() => resolveProviderSettings({ provider: 'azure', baseUrl: server.origin }, env, none)).toThrow(
      /--deployment: the Azure OpenAI deployment name is required/,
    );
    expect(() => resolveProviderSettings({ provider: 'azure', baseUrl: server.origin, deployment: 'prod-4o' }, {}, none)).toThrow(
      'AZURE_OPENAI_API_KEY is not set (needed for --provider azure, deployment "prod-4o")',
    );
    expect(server.requests).toHaveLength(0);
  });
});
