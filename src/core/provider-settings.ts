/**
 * Which provider a command talks to and with what settings. Precedence, highest first: flags,
 * environment, config file, preset defaults.
 */
import type { ConfigFile, LoadedConfig } from './config.js';
import { BACKOFF_BASE_MS, DEFAULT_AZURE_API_VERSION, DEFAULT_RETRIES, DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS } from './defaults.js';
import { NoProviderError, UsageError } from './errors.js';
import { KEY_DETECTION_ORDER, PRESETS, PROVIDER_NAMES } from './presets.js';
import { redactUrl } from './provider/redact.js';
import type { ProviderSettings } from './provider/types.js';

export interface ProviderFlags {
  provider?: string;
  baseUrl?: string;
  model?: string;
  apiKeyEnv?: string;
  /** Seconds. */
  timeout?: number;
  retries?: number;
  modelPath?: string;
  /** Azure OpenAI deployment name. */
  deployment?: string;
  /** Azure OpenAI api-version. */
  apiVersion?: string;
}

/** Which provider is used, and the words that say why (for `draft providers`). */
export interface ProviderChoice {
  provider: string;
  reason: string;
}

/**
 * The provider the settings name, or the first one the environment points at. Throws the
 * "no provider" error when nothing does.
 */
export function chooseProvider(
  flags: ProviderFlags,
  env: NodeJS.ProcessEnv,
  config: ConfigFile,
  findLocalModel: () => string | undefined = () => undefined,
): ProviderChoice {
  if (flags.provider) return { provider: flags.provider, reason: '--provider' };
  if (env.DRAFT_PROVIDER) return { provider: env.DRAFT_PROVIDER, reason: 'DRAFT_PROVIDER' };
  if (config.provider) return { provider: config.provider, reason: 'the config file\'s "provider"' };
  if (flags.baseUrl) return { provider: 'custom', reason: '--base-url' };
  if (env.OPENAI_BASE_URL) return { provider: 'custom', reason: 'OPENAI_BASE_URL' };
  if (config.baseURL) return { provider: 'custom', reason: 'the config file\'s "baseURL"' };
  if (flags.modelPath) return { provider: 'local', reason: '--model-path' };
  for (const name of KEY_DETECTION_ORDER) {
    const keyEnv = PRESETS[name]!.keyEnv!;
    if (!nonEmpty(env[keyEnv])) continue;
    if (name === 'azure') {
      if (nonEmpty(env.AZURE_OPENAI_ENDPOINT)) return { provider: name, reason: `${keyEnv} and AZURE_OPENAI_ENDPOINT are set` };
      continue;
    }
    return { provider: name, reason: `${keyEnv} is set` };
  }
  const modelPath = env.DRAFT_LOCAL_MODEL ?? config.local?.modelPath;
  if (modelPath) return { provider: 'local', reason: env.DRAFT_LOCAL_MODEL ? 'DRAFT_LOCAL_MODEL' : 'the config file\'s "local.modelPath"' };
  if (findLocalModel()) return { provider: 'local', reason: 'a GGUF model in the models folder' };
  throw noProviderError();
}

/**
 * Precedence, highest first: flags, environment, config file, preset defaults.
 * `findLocalModel` is consulted only when nothing hosted is configured, so the local engine
 * is the default for users with a model on disk and no key.
 */
export function resolveProviderSettings(
  flags: ProviderFlags,
  env: NodeJS.ProcessEnv,
  loaded: LoadedConfig,
  findLocalModel: () => string | undefined = () => undefined,
): ProviderSettings {
  const config = loaded.config;
  const explicit = flags.provider ?? env.DRAFT_PROVIDER ?? config.provider;
  if (explicit !== undefined && !(PROVIDER_NAMES as readonly string[]).includes(explicit)) {
    throw new UsageError(`--provider: unknown provider "${explicit}"`, {
      hint: `use one of ${PROVIDER_NAMES.join(', ')}, or --base-url for any OpenAI-compatible server`,
    });
  }
  const modelPath = flags.modelPath ?? env.DRAFT_LOCAL_MODEL ?? config.local?.modelPath;
  const { provider } = chooseProvider(flags, env, config, findLocalModel);

  const timeoutMs =
    flags.timeout !== undefined
      ? flags.timeout * 1000
      : config.timeoutSeconds !== undefined
        ? config.timeoutSeconds * 1000
        : DEFAULT_TIMEOUT_SECONDS * 1000;
  if (!(timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_SECONDS * 1000)) {
    // Settings built in code (and any future source) get the same refusal as the flag and the config.
    throw new UsageError(`--timeout must be a number of seconds greater than 0 and at most ${MAX_TIMEOUT_SECONDS}`, {
      hint: `longer timers overflow and fire at once; the default is ${DEFAULT_TIMEOUT_SECONDS}`,
    });
  }
  const common = {
    timeoutMs,
    maxRetries: flags.retries ?? config.maxRetries ?? DEFAULT_RETRIES,
    retryAfterCapMs: (config.retryAfterCapSeconds ?? 30) * 1000,
    backoffBaseMs: BACKOFF_BASE_MS,
  };

  if (provider === 'local') {
    const path = modelPath ?? findLocalModel();
    if (!path) {
      throw new UsageError('--provider local: no model file given', {
        hint: 'pass --model-path FILE.gguf, set DRAFT_LOCAL_MODEL, or run `draft models pull <name>`',
      });
    }
    return {
      provider: 'local',
      baseURL: '',
      model: flags.model ?? path,
      ...common,
      local: {
        modelPath: path,
        threads: config.local?.threads,
        contextSize: config.local?.contextSize,
        maxSequences: config.local?.maxSequences,
        seed: seedFrom(env.DRAFT_LOCAL_SEED) ?? config.local?.seed,
      },
    };
  }

  const preset = PRESETS[provider]!;
  if (provider === 'azure') return azureSettings(flags, env, config, common);
  // OPENAI_BASE_URL is the SDK's own convention, so it only steers the openai/custom presets.
  const envBase = provider === 'openai' || provider === 'custom' ? env.OPENAI_BASE_URL : undefined;
  const baseURL = flags.baseUrl ?? envBase ?? config.baseURL ?? preset.baseURL;
  if (!baseURL) {
    throw new UsageError('--base-url: required with --provider custom', {
      hint: 'e.g. --base-url http://127.0.0.1:8080/v1 (llama.cpp server, vLLM, ...)',
    });
  }
  validateBaseUrl(baseURL);

  const keyEnv = flags.apiKeyEnv ?? config.apiKeyEnv ?? preset.keyEnv;
  const apiKey = keyEnv ? nonEmpty(env[keyEnv]) : undefined;
  if (flags.apiKeyEnv && apiKey === undefined) {
    throw new UsageError(`--api-key-env: environment variable ${flags.apiKeyEnv} is not set`, {
      hint: `export ${flags.apiKeyEnv}=... or name another variable`,
      code: 'api-key-missing',
    });
  }
  if (preset.keyRequired && apiKey === undefined) {
    throw new UsageError(`${keyEnv} is not set (needed for --provider ${provider})`, {
      hint: `export ${keyEnv}=..., or pass --api-key-env NAME, or choose another provider`,
      code: 'api-key-missing',
    });
  }

  return {
    provider,
    baseURL,
    model: flags.model ?? env.DRAFT_MODEL ?? config.model ?? preset.defaultModel,
    apiKey,
    apiKeyEnv: keyEnv,
    ...common,
    ...(preset.quirks ? { quirks: preset.quirks } : {}),
  };
}

/** Azure OpenAI: endpoint, deployment and api-version, each from a flag, the environment or the config. */
function azureSettings(
  flags: ProviderFlags,
  env: NodeJS.ProcessEnv,
  config: ConfigFile,
  common: Pick<ProviderSettings, 'timeoutMs' | 'maxRetries' | 'retryAfterCapMs' | 'backoffBaseMs'>,
): ProviderSettings {
  const endpoint = flags.baseUrl ?? nonEmpty(env.AZURE_OPENAI_ENDPOINT) ?? config.azure?.endpoint ?? config.baseURL;
  if (!endpoint) {
    throw new UsageError('--base-url: the Azure OpenAI endpoint is required with --provider azure', {
      hint:
        'e.g. --base-url https://my-resource.openai.azure.com, or set AZURE_OPENAI_ENDPOINT, ' +
        'or "azure": {"endpoint": ...} in the config',
    });
  }
  validateBaseUrl(endpoint);
  const deployment = flags.deployment ?? flags.model ?? nonEmpty(env.DRAFT_MODEL) ?? config.azure?.deployment ?? config.model;
  if (!deployment) {
    throw new UsageError('--deployment: the Azure OpenAI deployment name is required with --provider azure', {
      hint:
        'pass --deployment NAME (the name given to the deployment in Azure, not the model), ' +
        'or "azure": {"deployment": ...} in the config',
    });
  }
  const apiVersion = flags.apiVersion ?? nonEmpty(env.OPENAI_API_VERSION) ?? config.azure?.apiVersion ?? DEFAULT_AZURE_API_VERSION;
  const keyEnv = flags.apiKeyEnv ?? config.apiKeyEnv ?? PRESETS.azure!.keyEnv!;
  const apiKey = nonEmpty(env[keyEnv]);
  if (apiKey === undefined) {
    throw new UsageError(
      `${flags.apiKeyEnv ? '--api-key-env: environment variable ' : ''}${keyEnv} is not set ` +
        `(needed for --provider azure, deployment "${deployment}")`,
      {
        hint: `export ${keyEnv}=... (the key of the Azure OpenAI resource), or pass --api-key-env NAME`,
        code: 'api-key-missing',
      },
    );
  }
  return {
    provider: 'azure',
    baseURL: endpoint.replace(/\/+$/, ''),
    model: deployment,
    apiKey,
    apiKeyEnv: keyEnv,
    ...common,
    quirks: PRESETS.azure!.quirks,
    azure: { endpoint: endpoint.replace(/\/+$/, ''), deployment, apiVersion },
  };
}

function seedFrom(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`DRAFT_LOCAL_SEED: "${value}" is not a whole number`, { hint: 'e.g. DRAFT_LOCAL_SEED=42, or unset it' });
  }
  return Number(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function validateBaseUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--base-url: "${redactUrl(url)}" is not a URL`, { hint: 'e.g. http://127.0.0.1:11434/v1' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`--base-url: "${redactUrl(url)}" must use http or https`, { hint: 'e.g. https://api.openai.com/v1' });
  }
}

export function noProviderError(): UsageError {
  return new NoProviderError('no model provider is configured', {
    hint: [
      'configure one of three ways:',
      '  1. environment: export OPENAI_API_KEY=... ' +
        '(or ANTHROPIC_API_KEY, GEMINI_API_KEY, GROQ_API_KEY, MISTRAL_API_KEY, ..., or OPENAI_BASE_URL for any server)',
      '  2. flags: --provider NAME (`draft providers` lists them), or --base-url URL [--model NAME]',
      '  3. config file: draft.config.json with {"provider": "ollama", "model": "llama3.1"}',
    ].join('\n'),
  });
}
