import * as z from 'zod';
import { loadConfigFile, RetriesSchema, TimeoutSecondsSchema, type LoadedConfig } from '../../core/config.js';
import { resolveProviderSettings } from '../../core/provider-settings.js';
import { findDefaultLocalModel } from '../../core/local/models-dir.js';
import { createProvider } from '../../core/provider/create-provider.js';
import { redactSecrets, redactUrl, splitBaseUrl } from '../../core/provider/redact.js';
import type { ChatProvider, ProviderSettings } from '../../core/provider/types.js';
import { check, flagName, parseOrThrow } from '../../core/validation.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../../core/errors.js';
import { createStagedProvider } from '../../core/provider/staged-provider.js';
import { STAGES, stageModel, type Stage, type StageModels } from '../../core/provider/stages.js';

/** Flags every model-using command shares (commander hands them over as strings). */
export const ProviderOptionsSchema = z.object({
  provider: z.string().optional(),
  baseUrl: z.string().optional(),
  model: z.string().min(1).optional(),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .optional(),
  modelPath: z.string().min(1).optional(),
  deployment: z.string().min(1).optional(),
  apiVersion: z.string().min(1).optional(),
  timeout: TimeoutSecondsSchema.optional(),
  retries: RetriesSchema.optional(),
  config: z.string().optional(),
});

export type ProviderOptions = z.infer<typeof ProviderOptionsSchema>;

export function parseProviderOptions(raw: Record<string, unknown>): ProviderOptions {
  return parseOrThrow(ProviderOptionsSchema, pick(raw, Object.keys(ProviderOptionsSchema.shape)), 'options', 'see `draft --help`');
}

/** The provider flags, or their problems, for a command that reports every bad flag at once. */
export function checkProviderOptions(raw: Record<string, unknown>): { value?: ProviderOptions; problems: string[] } {
  return check(ProviderOptionsSchema, pick(raw, Object.keys(ProviderOptionsSchema.shape)), { name: flagName });
}

function pick(raw: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]));
}

export async function resolveSettings(
  options: ProviderOptions,
  ctx: CommandContext,
  loaded?: LoadedConfig,
  /** A batch brief's own `models`, instead of the config's. */
  stageModels?: StageModels,
): Promise<{ settings: ProviderSettings; config: LoadedConfig }> {
  const config = loaded ?? (await loadConfigFile(ctx.cwd, options.config));
  // Only consulted when nothing hosted is configured; it reads a folder listing, nothing heavier.
  const settings = resolveProviderSettings(options, ctx.env, config, () => findDefaultLocalModel(ctx.env));
  // A batch brief's own stages come on top of the config's.
  const stages = stageSettings(
    settings,
    options,
    ctx.env,
    config,
    stageModels ? { ...config.config.models, ...stageModels } : config.config.models,
  );
  return { settings: stages ? { ...settings, stages } : settings, config };
}

/**
 * Each stage the config (or a batch brief) gives its own model, resolved as the run's own settings are:
 * a stage that names only a model keeps the run's provider, base URL and key; one that names another
 * provider gets that provider's defaults (its key variable, its base URL), never the run's.
 */
function stageSettings(
  settings: ProviderSettings,
  options: ProviderOptions,
  env: NodeJS.ProcessEnv,
  loaded: LoadedConfig,
  models: StageModels | undefined,
): ProviderSettings['stages'] {
  if (!models) return undefined;
  const stages: NonNullable<ProviderSettings['stages']> = {};
  for (const stage of STAGES) {
    const wanted = stageModel(models[stage]);
    if (!wanted) continue;
    const same = (wanted.provider ?? settings.provider) === settings.provider && wanted.baseURL === undefined;
    const flags = same
      ? { ...options, provider: settings.provider, model: wanted.model ?? settings.model, apiKeyEnv: wanted.apiKeyEnv ?? options.apiKeyEnv }
      : {
          timeout: options.timeout,
          retries: options.retries,
          provider: wanted.provider ?? 'custom',
          model: wanted.model,
          baseUrl: wanted.baseURL,
          apiKeyEnv: wanted.apiKeyEnv,
        };
    const own = same
      ? loaded
      : { ...loaded, config: { ...loaded.config, provider: undefined, baseURL: undefined, model: undefined, apiKeyEnv: undefined } };
    // A stage's mistake names the stage: "models.section: OLLAMA_... is not set".
    try {
      stages[stage] = resolveProviderSettings(flags, env, own);
    } catch (error) {
      if (error instanceof UsageError) throw new UsageError(`models.${stage}: ${error.message}`, { hint: error.hint });
      throw error;
    }
  }
  return Object.keys(stages).length > 0 ? stages : undefined;
}

/**
 * Builds the provider (one per stage that has its own model, behind one seam), reporting retries on
 * stderr as they happen. `create` makes each model's provider: in-process by default, on a batch's
 * provider thread (thread-host.ts).
 */
export async function openProvider(
  settings: ProviderSettings,
  ctx: CommandContext,
  create: typeof createProvider = createProvider,
): Promise<ChatProvider> {
  if (settings.stages) {
    const { stages, ...own } = settings;
    const fallback = await openProvider(own, ctx, create);
    const byStage: Partial<Record<Stage, ChatProvider>> = {};
    for (const [stage, stageSettings] of Object.entries(stages) as [Stage, ProviderSettings][])
      byStage[stage] = await openProvider(stageSettings, ctx, create);
    return createStagedProvider(fallback, byStage);
  }
  ctx.ui.debug(
    `provider ${settings.provider}, model ${settings.model}${settings.baseURL ? `, base URL ${redactUrl(settings.baseURL)}` : ''}`,
  );
  const secrets = [settings.apiKey, ...splitBaseUrl(settings.baseURL).secrets];
  return create(settings, {
    onRetry: ({ purpose, attempt, maxRetries, delayMs, error }) =>
      ctx.ui.warn(`${error.message} (${purpose}); retry ${attempt}/${maxRetries} in ${(delayMs / 1000).toFixed(1)}s`),
    // Only with --debug: the provider builds and redacts a line per request otherwise thrown away.
    ...(ctx.debug ? { debug: (line: string) => ctx.ui.debug(redactSecrets(line, secrets)) } : {}),
    onSecretScrubbed: ({ purpose }) =>
      ctx.ui.warn(
        `the model's reply for ${purpose} contained a configured secret (API key or base-URL password); it was replaced with [redacted]`,
      ),
    onNoStreamUsage: () => ctx.ui.debug('the server refused stream_options; token usage is estimated with the tokenizer'),
  });
}
