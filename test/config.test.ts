import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile } from '../src/core/config.js';
import { resolveProviderSettings } from '../src/core/provider-settings.js';
import { UsageError } from '../src/core/errors.js';

const none = { config: {} };

describe('provider configuration precedence: flags, environment, config file, defaults', () => {
  it('a flag beats the environment, which beats the config file, which beats the preset', () => {
    const config = { config: { provider: 'deepseek' as const, model: 'from-config' } };
    const env = { DEEPSEEK_API_KEY: 'k', DRAFT_MODEL: 'from-env' };
    expect(resolveProviderSettings({}, {}, { config: { provider: 'ollama' } }).model).toBe('llama3.1');
    expect(resolveProviderSettings({}, env, config).model).toBe('from-env');
    expect(resolveProviderSettings({ model: 'from-flag' }, env, config).model).toBe('from-flag');
    expect(resolveProviderSettings({}, { DEEPSEEK_API_KEY: 'k' }, config).model).toBe('from-config');
  });

  it('picks a provider from whichever key is set, and reads that preset’s key variable', () => {
    const s = resolveProviderSettings({}, { DEEPSEEK_API_KEY: 'dk' }, none);
    expect(s).toMatchObject({ provider: 'deepseek', baseURL: 'https://api.deepseek.com/v1', apiKey: 'dk', apiKeyEnv: 'DEEPSEEK_API_KEY' });
    expect(resolveProviderSettings({}, { OPENAI_API_KEY: 'ok' }, none)).toMatchObject({ provider: 'openai', apiKey: 'ok' });
  });

  it('OPENAI_BASE_URL or --base-url alone means any OpenAI-compatible server, key optional', () => {
    const s = resolveProviderSettings({}, { OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1' }, none);
    expect(s).toMatchObject({ provider: 'custom', baseURL: 'http://127.0.0.1:8080/v1', apiKey: undefined });
    const f = resolveProviderSettings({ baseUrl: 'http://localhost:1/v1' }, { OPENAI_BASE_URL: 'http://other/v1' }, none);
    expect(f.baseURL).toBe('http://localhost:1/v1');
  });

  it('--api-key-env names the variable to read, and a missing one is a usage error naming it', () => {
    expect(resolveProviderSettings({ provider: 'openai', apiKeyEnv: 'MY_KEY' }, { MY_KEY: 'mk' }, none).apiKey).toBe('mk');
    expect(() => resolveProviderSettings({ provider: 'openai', apiKeyEnv: 'MY_KEY' }, {}, none)).toThrow(/MY_KEY is not set/);
  });

  it('a preset that needs a key says which variable is missing', () => {
    expect(() => resolveProviderSettings({ provider: 'openrouter' }, {}, none)).toThrow(/OPENROUTER_API_KEY is not set/);
  });

  it('keyless local servers need no key', () => {
    expect(resolveProviderSettings({ provider: 'lmstudio' }, {}, none)).toMatchObject({
      baseURL: 'http://127.0.0.1:1234/v1',
      apiKey: undefined,
    });
  });

  it('nothing configured is a usage error showing the three ways', () => {
    let error: unknown;
    try {
      resolveProviderSettings({}, {}, none);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).hint).toMatch(/1\. environment[\s\S]*2\. flags[\s\S]*3\. config file/);
  });

  it('a local model on disk becomes the default only when nothing hosted is configured', () => {
    expect(resolveProviderSettings({}, {}, none, () => '/m/x.gguf')).toMatchObject({
      provider: 'local',
      local: { modelPath: '/m/x.gguf' },
    });
    expect(resolveProviderSettings({}, { OPENAI_API_KEY: 'k' }, none, () => '/m/x.gguf').provider).toBe('openai');
  });

  it('rejects unknown providers and non-http base URLs', () => {
    expect(() => resolveProviderSettings({ provider: 'nope' }, {}, none)).toThrow(/unknown provider "nope"/);
    expect(() => resolveProviderSettings({ baseUrl: 'ftp://x' }, {}, none)).toThrow(/must use http/);
  });

  it('--timeout is seconds; the config file can set it too', () => {
    expect(resolveProviderSettings({ timeout: 2, provider: 'ollama' }, {}, none).timeoutMs).toBe(2000);
    expect(resolveProviderSettings({ provider: 'ollama' }, {}, { config: { timeoutSeconds: 7 } }).timeoutMs).toBe(7000);
  });
});

describe('config file', () => {
  it('is validated, naming the file and every bad field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
    await writeFile(join(dir, 'draft.config.json'), JSON.stringify({ provider: 'x', concurrency: 'lots', extra: 1 }));
    await expect(loadConfigFile(dir)).rejects.toThrow(
      /draft\.config\.json: provider must be one of[\s\S]*draft\.config\.json: concurrency must be a whole number from 1 to 32[\s\S]*draft\.config\.json: extra is not a known field/,
    );
  });

  it('refuses an API key in the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
    await writeFile(join(dir, 'draft.config.json'), JSON.stringify({ apiKey: 'sk-123' }));
    const error = await loadConfigFile(dir).catch((e) => e);
    expect(error.message).toMatch(/"apiKey" is not allowed/);
    expect(error.message).not.toContain('sk-123');
  });

  it('is optional', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
    expect(await loadConfigFile(dir)).toEqual({ config: {} });
  });
});
