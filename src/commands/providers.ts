import * as z from 'zod';
import { loadConfigFile, type ConfigFile } from '../core/config.js';
import { chooseProvider, resolveProviderSettings } from '../core/provider-settings.js';
import { DraftError } from '../core/errors.js';
import { findDefaultLocalModel } from '../core/local/models-dir.js';
import { PRESETS, type ProviderPreset } from '../core/presets.js';
import { redactUrl } from '../core/provider/redact.js';
import type { ProviderSettings } from '../core/provider/types.js';
import { parseOrThrow } from '../core/validation.js';
import type { CommandContext } from './context.js';
import { ProviderOptionsSchema, type ProviderOptions } from './shared/provider-options.js';
import { alignColumns } from '../core/text-table.js';

const ProvidersOptionsSchema = ProviderOptionsSchema.extend({ json: z.boolean().default(false) });

const PRECEDENCE = 'flags, then the environment, then the config file, then the preset (README "Providers and configuration")';

interface PresetRow {
  name: string;
  baseURL: string;
  keyEnv: string | null;
  /** Whether the key variable holds a value; its value is never read out. */
  keySet: boolean;
  defaultModel: string;
  note?: string;
}

/**
 * `draft providers`: every preset with its base URL, key variable (set or not) and default model,
 * then the provider, base URL and model these flags, this environment and this config would use, and why.
 */
export async function runProviders(rawOptions: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const options = parseOrThrow(ProvidersOptionsSchema, rawOptions, 'options', 'see `draft providers --help`');
  const loaded = await loadConfigFile(ctx.cwd, options.config);
  const rows = presetRows(ctx.env);

  let settings: ProviderSettings | undefined;
  let reason: string | undefined;
  let problem: DraftError | undefined;
  try {
    settings = resolveProviderSettings(options, ctx.env, loaded, () => findDefaultLocalModel(ctx.env));
    reason = chooseProvider(options, ctx.env, loaded.config, () => findDefaultLocalModel(ctx.env)).reason;
  } catch (error) {
    if (!(error instanceof DraftError)) throw error;
    problem = error;
  }
  const selected = settings && {
    provider: settings.provider,
    reason: reason!,
    baseURL: settings.provider === 'local' ? null : redactUrl(settings.baseURL),
    model: settings.model,
    modelFrom: modelSource(options, ctx.env, loaded.config, settings),
    keyEnv: settings.apiKeyEnv ?? null,
    keySet: Boolean(settings.apiKey),
    ...(settings.azure ? { deployment: settings.azure.deployment, apiVersion: settings.azure.apiVersion } : {}),
  };

  if (options.json) {
    ctx.ui.json({ presets: rows, selected: selected ?? null, precedence: PRECEDENCE, ...(problem ? { problem: problem.message } : {}) });
    if (problem) throw problem;
    return;
  }
  ctx.ui.out(renderTable(rows, selected?.provider));
  if (selected) {
    const where = selected.baseURL ? `${selected.baseURL}, ` : '';
    const key = selected.keyEnv ? `, key from ${selected.keyEnv}` : '';
    const azure = settings?.azure ? `, api-version ${settings.azure.apiVersion}` : '';
    ctx.ui.out('');
    ctx.ui.out(`Would use: ${selected.provider} (${selected.reason})`);
    ctx.ui.out(`  ${where}${settings?.azure ? 'deployment' : 'model'} ${selected.model} (${selected.modelFrom})${key}${azure}`);
  }
  ctx.ui.out(`Precedence: ${PRECEDENCE}.`);
  // Shown last, as every error is: the table above is what helps fix it.
  if (problem) throw problem;
}

function presetRows(env: NodeJS.ProcessEnv): PresetRow[] {
  const rows = Object.values(PRESETS).map((p: ProviderPreset) => ({
    name: p.name,
    baseURL: baseUrlText(p),
    keyEnv: p.keyEnv ?? null,
    keySet: Boolean(p.keyEnv && env[p.keyEnv]?.trim()),
    defaultModel: p.defaultModel || (p.name === 'azure' ? '--deployment' : '-'),
    ...(p.note ? { note: p.note } : {}),
  }));
  return [
    ...rows,
    { name: 'local', baseURL: 'in-process GGUF model', keyEnv: null, keySet: false, defaultModel: '--model-path / DRAFT_LOCAL_MODEL' },
  ];
}

function baseUrlText(preset: ProviderPreset): string {
  if (preset.name === 'azure') return '--base-url / AZURE_OPENAI_ENDPOINT';
  if (preset.name === 'custom') return '--base-url / OPENAI_BASE_URL';
  return preset.baseURL;
}

function renderTable(rows: PresetRow[], selected: string | undefined): string {
  const table = [
    ['', 'PROVIDER', 'BASE URL', 'KEY VARIABLE', 'DEFAULT MODEL'],
    ...rows.map((r) => [
      r.name === selected ? '*' : '',
      r.name,
      r.baseURL,
      r.keyEnv ? `${r.keyEnv} (${r.keySet ? 'set' : 'not set'})` : 'none',
      r.defaultModel,
    ]),
  ];
  return alignColumns(table).join('\n');
}

/** Which layer named the model, in the order resolveProviderSettings reads them. */
function modelSource(options: ProviderOptions, env: NodeJS.ProcessEnv, config: ConfigFile, settings: ProviderSettings): string {
  if (settings.provider === 'azure') {
    if (options.deployment) return '--deployment';
    if (options.model) return '--model';
    if (env.DRAFT_MODEL?.trim()) return 'DRAFT_MODEL';
    return config.azure?.deployment ? 'the config file\'s "azure.deployment"' : 'the config file\'s "model"';
  }
  if (settings.provider === 'local') return options.model ? '--model' : 'the model file';
  if (options.model) return '--model';
  if (env.DRAFT_MODEL) return 'DRAFT_MODEL';
  if (config.model) return 'the config file\'s "model"';
  return "the preset's default";
}
