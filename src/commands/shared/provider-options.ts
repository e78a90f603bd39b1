import { z } from 'zod';
import { loadConfigFile, resolveProviderSettings, RetriesSchema, TimeoutSecondsSchema, type LoadedConfig } from '../../core/config.js';
import { findDefaultLocalModel } from '../../core/local/models-dir.js';
import { createProvider } from '../../core/provider/create-provider.js';
import { redactSecrets, redactUrl, splitBaseUrl } from '../../core/provider/redact.js';
import type { ChatProvider, ProviderSettings } from '../../core/provider/types.js';
import { check, flagName, parseOrThrow } from '../../core/validation.js';
import type { CommandContext } from '../context.js';

/** Flags every model-using command shares (commander hands them over as strings). */
export const ProviderOptionsSchema = z.object({
  provider: z.string().optional(),
  baseUrl: z.string().optional(),
  model: z.string().min(1).optional(),
  apiKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name').optional(),
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
): Promise<{ settings: ProviderSettings; config: LoadedConfig }> {
  const config = loaded ?? (await loadConfigFile(ctx.cwd, options.config));
  // Only consulted when nothing hosted is configured; it reads a folder listing, nothing heavier.
  const settings = resolveProviderSettings(options, ctx.env, config, () => findDefaultLocalModel(ctx.env));
  return { settings, config };
}

/** Builds the provider, reporting retries on stderr as they happen. */
export async function openProvider(settings: ProviderSettings, ctx: CommandContext): Promise<ChatProvider> {
  ctx.ui.debug(`provider ${settings.provider}, model ${settings.model}${settings.baseURL ? `, base URL ${redactUrl(settings.baseURL)}` : ''}`);
  const secrets = [settings.apiKey, ...splitBaseUrl(settings.baseURL).secrets];
  return createProvider(settings, {
    onRetry: ({ purpose, attempt, maxRetries, delayMs, error }) =>
      ctx.ui.warn(`${error.message} (${purpose}); retry ${attempt}/${maxRetries} in ${(delayMs / 1000).toFixed(1)}s`),
    debug: (line) => ctx.ui.debug(redactSecrets(line, secrets)),
    onSecretScrubbed: ({ purpose }) =>
      ctx.ui.warn(`the model's reply for ${purpose} contained a configured secret (API key or base-URL password); it was replaced with [redacted]`),
    onNoStreamUsage: () => ctx.ui.debug('the server refused stream_options; token usage is estimated with the tokenizer'),
  });
}
