/**
 * `draft providers`: the preset table (key variables set or not, never their values) and which
 * provider these flags, environment and config would use, and why, in the README's precedence.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runProviders } from '../src/commands/providers.js';
import { UsageError } from '../src/core/errors.js';
import { makeTempDir } from './support/cli.js';
import { runCommand } from './support/run-command.js';

const SECRET = 'gsk_secret_value_0123456789abcdef';
let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await makeTempDir('providers-cmd-');
});
afterEach(async () => {
  await tmp.cleanup();
});

const providers = (options: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) =>
  runCommand((ctx) => runProviders(options, ctx), { cwd: tmp.dir, env: { DRAFT_MODELS_DIR: join(tmp.dir, 'no-models'), ...env } });

describe('draft providers', () => {
  it('lists every preset, says which key variables are set, and never prints a key', async () => {
    const { stdout } = await providers({}, { GROQ_API_KEY: SECRET });
    expect(stdout).not.toContain(SECRET);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^\s+PROVIDER\s+BASE URL\s+KEY VARIABLE\s+DEFAULT MODEL$/);
    expect(lines.find((l) => l.includes(' groq '))).toMatch(
      /^\*\s+groq\s+https:\/\/api\.groq\.com\/openai\/v1\s+GROQ_API_KEY \(set\)\s+llama-3\.1-8b-instant$/,
    );
    expect(lines.find((l) => l.includes(' anthropic '))).toMatch(/ANTHROPIC_API_KEY \(not set\)\s+claude-haiku-4-5$/);
    expect(lines.find((l) => l.includes(' vllm '))).toMatch(/http:\/\/127\.0\.0\.1:8000\/v1\s+none\s+/);
    expect(lines.find((l) => l.includes(' azure '))).toMatch(
      /--base-url \/ AZURE_OPENAI_ENDPOINT\s+AZURE_OPENAI_API_KEY \(not set\)\s+--deployment$/,
    );
    for (const name of [
      'openai',
      'gemini',
      'together',
      'mistral',
      'llamacpp',
      'deepseek',
      'openrouter',
      'ollama',
      'lmstudio',
      'custom',
      'local',
    ]) {
      expect(lines.some((l) => l.split(/\s+/).includes(name))).toBe(true);
    }
    expect(stdout).toContain(
      'Would use: groq (GROQ_API_KEY is set)\n' +
        "  https://api.groq.com/openai/v1, model llama-3.1-8b-instant (the preset's default), key from GROQ_API_KEY",
    );
    expect(stdout).toContain('Precedence: flags, then the environment, then the config file, then the preset');
  });

  it('a flag beats the environment, which beats the config file', async () => {
    await writeFile(join(tmp.dir, 'draft.config.json'), JSON.stringify({ provider: 'mistral', model: 'mistral-large-latest' }));
    const env = { MISTRAL_API_KEY: 'm', GEMINI_API_KEY: 'g', DRAFT_PROVIDER: 'gemini' };
    const fromEnv = JSON.parse((await providers({ json: true }, env)).stdout).selected;
    expect(fromEnv).toMatchObject({
      provider: 'gemini',
      reason: 'DRAFT_PROVIDER',
      model: 'mistral-large-latest',
      modelFrom: 'the config file\'s "model"',
      keySet: true,
    });
    const fromFlag = JSON.parse((await providers({ json: true, provider: 'mistral', model: 'open-mistral-nemo' }, env)).stdout).selected;
    expect(fromFlag).toMatchObject({ provider: 'mistral', reason: '--provider', model: 'open-mistral-nemo', modelFrom: '--model' });
    const fromConfig = JSON.parse((await providers({ json: true }, { MISTRAL_API_KEY: 'm' })).stdout).selected;
    expect(fromConfig).toMatchObject({ provider: 'mistral', reason: 'the config file\'s "provider"' });
  });

  it('shows Azure with its deployment and api-version', async () => {
    const { stdout } = await providers(
      {},
      { AZURE_OPENAI_API_KEY: SECRET, AZURE_OPENAI_ENDPOINT: 'https://team.openai.azure.com', DRAFT_MODEL: 'gpt4o-prod' },
    );
    expect(stdout).toContain('Would use: azure (AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT are set)');
    expect(stdout).toContain(
      '  https://team.openai.azure.com, deployment gpt4o-prod (DRAFT_MODEL), key from AZURE_OPENAI_API_KEY, api-version 2024-10-21',
    );
    expect(stdout).not.toContain(SECRET);
  });

  it('with nothing configured, ends with the error that lists the ways to configure one', async () => {
    const error = await providers({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe('no model provider is configured');
    expect((error as UsageError).hint).toContain('draft providers');
  });

  it('a chosen provider without its key is reported after the table', async () => {
    const error = await providers({ provider: 'together' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('TOGETHER_API_KEY is not set (needed for --provider together)');
  });

  it('a base URL with a password is shown redacted', async () => {
    const { stdout } = await providers({ baseUrl: 'http://user:hunter2pass@127.0.0.1:9/v1' });
    expect(stdout).toContain('Would use: custom (--base-url)');
    expect(stdout).not.toContain('hunter2pass');
  });
});
