import { readFile, stat } from 'node:fs/promises';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { redactUrl } from './provider/redact.js';
import { dirname, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from './errors.js';
import {
  DEFAULT_AZURE_API_VERSION,
  DEFAULT_CONCURRENCY,
  DEFAULT_NOTES_HEADING,
  DEFAULT_OUT_DIR,
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT_SECONDS,
  MAX_CONCURRENCY,
  MAX_TIMEOUT_SECONDS,
} from './defaults.js';
import { KEY_DETECTION_ORDER, PRESETS, PROVIDER_NAMES } from './presets.js';
import type { ProviderSettings } from './provider/types.js';
import { isMarkdownFileName, MARKDOWN_EXTENSIONS_TEXT } from './markdown-file-name.js';
import { parseOrThrow, positiveNumber, wholeNumber } from './validation.js';
import { StyleSeveritiesSchema } from './style/rules.js';
import { StageModelsSchema } from './provider/stages.js';
import { canonicalLanguage } from './style/language.js';
import { SITE_GENERATORS, SiteFrontMatterSchema } from './site/site-schema.js';
import { STATE_MODES } from './state-store.js';

export const CONFIG_FILE_NAMES = ['draft.config.json', '.draftrc.json'];

export * from './defaults.js';

/** Limits shared by flags and the config file, so both say the same thing. */
export const ConcurrencySchema = wholeNumber(1, MAX_CONCURRENCY);
export const MaxTokensSchema = wholeNumber(1);
export const TimeoutSecondsSchema = positiveNumber('seconds', MAX_TIMEOUT_SECONDS);
export const RetriesSchema = wholeNumber(0, 10);
export const FileNamePatternSchema = z
  .string()
  .min(1, 'must not be empty')
  .refine(isMarkdownFileName, `must end in ${MARKDOWN_EXTENSIONS_TEXT}, e.g. "{slug}.md"`);

// Settings several commands share: the flag, else the config file, else the default.
export const concurrencyFrom = (flag: number | undefined, config: ConfigFile) => flag ?? config.concurrency ?? DEFAULT_CONCURRENCY;
export const outDirFrom = (flag: string | undefined, config: ConfigFile, cwd: string) => resolve(cwd, flag ?? config.outDir ?? DEFAULT_OUT_DIR);
export const notesHeadingFrom = (flag: string | undefined, config: ConfigFile) => flag ?? config.notesHeading ?? DEFAULT_NOTES_HEADING;

const PriceSchema = z
  .object({
    input: z.number().nonnegative(),
    output: z.number().nonnegative(),
    batch: z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }).strict().optional(),
  })
  .strict();

export const ConfigFileSchema = z
  .object({
    provider: z.enum(PROVIDER_NAMES).optional(),
    baseURL: z.url({ protocol: /^https?$/ }).optional(),
    model: z.string().min(1).optional(),
    apiKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name').optional(),
    timeoutSeconds: TimeoutSecondsSchema.optional(),
    maxRetries: RetriesSchema.optional(),
    retryAfterCapSeconds: TimeoutSecondsSchema.optional(),
    concurrency: ConcurrencySchema.optional(),
    outDir: z.string().min(1).optional(),
    fileName: FileNamePatternSchema.optional(),
    notesHeading: z.string().min(1).optional(),
    /** The posts' language when a brief names none (BCP 47); `draft check --style` reads it too. */
    language: z
      .string()
      .refine((tag) => canonicalLanguage(tag) !== undefined, 'must be a BCP 47 language tag such as en-GB, de or es')
      .transform((tag) => canonicalLanguage(tag)!)
      .optional(),
    author: z.string().min(1).optional(),
    maxTokens: MaxTokensSchema.optional(),
    /** Fail when an outline keeps another section count than asked for (else it is accepted and reported). */
    strictOutline: z.boolean().optional(),
    prices: z.record(z.string(), PriceSchema).optional(),
    /** A provider/model per stage (outline, section, revise, title, seo); the rest use the run's own. */
    models: StageModelsSchema.optional(),
    /** Azure OpenAI (`provider: "azure"`); flags and AZURE_OPENAI_ENDPOINT / OPENAI_API_VERSION win. */
    azure: z
      .object({
        endpoint: z.url({ protocol: /^https?$/ }).optional(),
        deployment: z.string().min(1).optional(),
        apiVersion: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** The site this project is (`draft init` writes it and what follows). */
    generator: z.enum(SITE_GENERATORS).optional(),
    /** How the site reads a post's front matter: see src/core/site/front-matter-map.ts. */
    frontMatter: SiteFrontMatterSchema.optional(),
    /** Where a post's log, hashes and usage live: its front matter (default), or `.draft/state/` (see state-store.ts). */
    state: z.enum(STATE_MODES).optional(),
    /** Where `draft publish` moves a post (Jekyll: `_drafts/x.md` → `_posts/{date}-x.md`). */
    publish: z.object({ outDir: z.string().min(1), fileName: FileNamePatternSchema }).strict().optional(),
    /** Fetching the editor's sources: private addresses only when allowed; a timeout and a size cap per source. */
    sources: z
      .object({
        allowPrivate: z.boolean().optional(),
        timeoutSeconds: z.number().positive().max(600).optional(),
        maxKiB: z.number().int().min(1).max(100 * 1024).optional(),
        /** `links` (the default): citations become links in the prose; `footnotes`: `[^source-N]` with a list at the end. */
        citations: z.enum(['links', 'footnotes']).optional(),
      })
      .strict()
      .optional(),
    /**
     * `draft check`: `require` replaces the default required front-matter fields (title, date, description);
     * `style` sets each `--style` rule (or one AI tell, `ai-tells/<id>`) to off, warning or error.
     */
    check: z.object({ require: z.array(z.string().min(1)).optional(), style: StyleSeveritiesSchema.optional() }).strict().optional(),
    local: z
      .object({
        modelPath: z.string().min(1).optional(),
        threads: z.number().int().min(1).optional(),
        contextSize: z.number().int().min(256).optional(),
        maxSequences: z.number().int().min(1).max(16).optional(),
        seed: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export interface LoadedConfig {
  path?: string;
  config: ConfigFile;
}

/**
 * Reads `--config FILE`, else the nearest config file found walking up from `startDir` (the post's
 * folder, or the working directory). The walk stops at the top of a git checkout, so a stray config
 * above the project is never picked up. A relative `outDir` is relative to the config file's folder.
 */
export async function loadConfigFile(cwd: string, explicitPath?: string, startDir: string = cwd): Promise<LoadedConfig> {
  if (explicitPath) return readConfigAt(cwd, resolve(cwd, explicitPath), explicitPath, true);
  for (let dir = resolve(startDir); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const path = join(dir, name);
      const loaded = await readConfigAt(cwd, path, relative(cwd, path) || name, false);
      if (loaded) return loaded;
    }
    if ((await present(join(dir, '.git'))) || dirname(dir) === dir) return { config: {} };
  }
}

async function readConfigAt(cwd: string, path: string, label: string, explicit: true): Promise<LoadedConfig>;
async function readConfigAt(cwd: string, path: string, label: string, explicit: false): Promise<LoadedConfig | undefined>;
async function readConfigAt(cwd: string, path: string, label: string, explicit: boolean): Promise<LoadedConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (explicit) {
      throw new UsageError(`${label}: cannot read config file (${(error as NodeJS.ErrnoException).code})`, {
        hint: 'check the path given to --config',
      });
    }
    return undefined;
  }
  // Comments are allowed (`draft init` writes them); trailing commas too, as editors add them.
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const line = text.slice(0, first.offset).split('\n').length;
    throw new UsageError(`${label}: not valid JSON (${printParseErrorCode(first.error)} at line ${line})`, {
      hint: 'the config file is JSON, with // comments allowed; see README "Configuration"',
    });
  }
  if (raw && typeof raw === 'object' && 'apiKey' in raw) {
    throw new UsageError(`${label}: field "apiKey" is not allowed`, {
      hint: 'keep keys out of files that get committed: set "apiKeyEnv" to the name of an environment variable instead',
    });
  }
  const config = parseOrThrow(ConfigFileSchema, raw, label, 'see README "Providers and configuration"');
  const dir = dirname(path);
  if (config.outDir !== undefined && dir !== resolve(cwd)) config.outDir = resolve(dir, config.outDir);
  return { path, config };
}

async function present(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

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
    backoffBaseMs: 500,
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
      hint: 'e.g. --base-url https://my-resource.openai.azure.com, or set AZURE_OPENAI_ENDPOINT, or "azure": {"endpoint": ...} in the config',
    });
  }
  validateBaseUrl(endpoint);
  const deployment = flags.deployment ?? flags.model ?? nonEmpty(env.DRAFT_MODEL) ?? config.azure?.deployment ?? config.model;
  if (!deployment) {
    throw new UsageError('--deployment: the Azure OpenAI deployment name is required with --provider azure', {
      hint: 'pass --deployment NAME (the name given to the deployment in Azure, not the model), or "azure": {"deployment": ...} in the config',
    });
  }
  const apiVersion = flags.apiVersion ?? nonEmpty(env.OPENAI_API_VERSION) ?? config.azure?.apiVersion ?? DEFAULT_AZURE_API_VERSION;
  const keyEnv = flags.apiKeyEnv ?? config.apiKeyEnv ?? PRESETS.azure!.keyEnv!;
  const apiKey = nonEmpty(env[keyEnv]);
  if (apiKey === undefined) {
    throw new UsageError(`${flags.apiKeyEnv ? '--api-key-env: environment variable ' : ''}${keyEnv} is not set (needed for --provider azure, deployment "${deployment}")`, {
      hint: `export ${keyEnv}=... (the key of the Azure OpenAI resource), or pass --api-key-env NAME`,
      code: 'api-key-missing',
    });
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

/** Nothing configured at all: a dry run can still go ahead; a real run cannot. */
export class NoProviderError extends UsageError {
  static override readonly defaultCode = 'no-provider';
}

export function noProviderError(): UsageError {
  return new NoProviderError('no model provider is configured', {
    hint: [
      'configure one of three ways:',
      '  1. environment: export OPENAI_API_KEY=... (or ANTHROPIC_API_KEY, GEMINI_API_KEY, GROQ_API_KEY, MISTRAL_API_KEY, ..., or OPENAI_BASE_URL for any server)',
      '  2. flags: --provider NAME (`draft providers` lists them), or --base-url URL [--model NAME]',
      '  3. config file: draft.config.json with {"provider": "ollama", "model": "llama3.1"}',
    ].join('\n'),
  });
}
