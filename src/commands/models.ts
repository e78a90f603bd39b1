import path from 'node:path';
import * as z from 'zod';
import { CATALOGUE } from '../core/local/catalogue.js';
import { listLocalModels } from '../core/local/list-models.js';
import { INSTALL_HINT } from '../core/local/load-binding.js';
import { formatBytes, formatParameters, type LocalModelInfo } from '../core/local/model-metadata.js';
import { findDefaultLocalModel, modelsDir } from '../core/local/models-dir.js';
import { pullModel } from '../core/local/pull-model.js';
import type { PullProgress } from '../core/local/resumable-download.js';
import { parseOrThrow } from '../core/validation.js';
import type { CommandContext } from './context.js';
import { alignColumns } from '../core/text-table.js';

const ListOptionsSchema = z.object({
  json: z.boolean().default(false),
  dir: z.string().min(1).optional(),
});

/** `draft models list`: the GGUF files in the models folder, with what their headers say. */
export async function runModelsList(
  rawOptions: { json?: boolean; dir?: string; provider?: string; baseUrl?: string },
  ctx: CommandContext,
): Promise<void> {
  // A server's models, not the local folder's (--provider local keeps the local listing).
  if ((rawOptions.provider !== undefined && rawOptions.provider !== 'local') || rawOptions.baseUrl !== undefined) {
    const { runModelsListRemote } = await import('./models-remote.js');
    return runModelsListRemote(rawOptions, ctx);
  }
  const { provider: _provider, ...localOptions } = rawOptions;
  rawOptions = localOptions;
  const options = parseOrThrow(ListOptionsSchema, rawOptions, 'options', 'see `draft models list --help`');
  const dir = options.dir ? path.resolve(ctx.cwd, options.dir) : modelsDir(ctx.env);
  const { models, metadataRead } = await listLocalModels(dir);
  const defaultModel = findDefaultLocalModel(ctx.env);

  if (options.json) {
    ctx.ui.json({
      dir,
      metadataRead,
      default: defaultModel ?? null,
      models: models.map((m) => ({ ...m, default: m.path === defaultModel })),
    });
    return;
  }
  if (models.length === 0) {
    ctx.ui.info(`No GGUF models in ${dir}`);
    ctx.ui.info(`Download one: ${CATALOGUE.map((m) => `draft models pull ${m.name}`).join(', or ')}`);
    return;
  }
  if (!metadataRead) ctx.ui.warn(`node-llama-cpp is not installed, so only file sizes are shown; ${INSTALL_HINT}`);
  const marked = models.some((m) => m.path === defaultModel);
  ctx.ui.info(`Models in ${dir}${marked ? ' (* = used by --provider local when no model is named)' : ''}`);
  ctx.ui.out(renderTable(models, defaultModel));
  for (const broken of models.filter((m) => m.error)) ctx.ui.warn(`${broken.fileName}: ${broken.error}`);
}

function renderTable(models: LocalModelInfo[], defaultModel: string | undefined): string {
  const rows = [
    ['', 'FILE', 'ARCH', 'PARAMS', 'QUANT', 'CONTEXT', 'SIZE'],
    ...models.map((m) => [
      m.path === defaultModel ? '*' : '',
      m.fileName,
      m.error ? 'unreadable' : (m.architecture ?? '-'),
      m.parameters === undefined ? '-' : formatParameters(m.parameters),
      m.quantization ?? '-',
      m.contextLength === undefined ? '-' : String(m.contextLength),
      formatBytes(m.sizeBytes),
    ]),
  ];
  return alignColumns(rows).join('\n');
}

const PullOptionsSchema = z.object({
  baseUrl: z.string().min(1).optional(),
  dir: z.string().min(1).optional(),
  sha256: z.string().min(1).optional(),
  force: z.boolean().default(false),
});

/** `draft models pull <name|url>`: download, resume, verify, then move into the models folder. */
export async function runModelsPull(
  name: string,
  rawOptions: { baseUrl?: string; dir?: string; sha256?: string; force?: boolean },
  ctx: CommandContext,
): Promise<void> {
  const options = parseOrThrow(PullOptionsSchema, rawOptions, 'options', 'see `draft models pull --help`');
  const progress = await ctx.ui.progress(`Downloading ${name}`);
  const report = throttle(250, (p: PullProgress) => progress.update(`Downloading ${name}: ${describe(p)}`));
  let result;
  try {
    result = await pullModel({
      name,
      baseUrl: options.baseUrl,
      dir: options.dir ? path.resolve(ctx.cwd, options.dir) : undefined,
      expectedSha256: options.sha256,
      force: options.force,
      signal: ctx.signal,
      env: ctx.env,
      onProgress: report,
    });
  } catch (error) {
    progress.fail(`Download of ${name} stopped`);
    throw error;
  }
  if (result.alreadyPresent) {
    progress.stop();
    ctx.ui.info(`Already downloaded: ${result.path} (--force downloads it again)`);
  } else {
    const resumed = result.resumedFrom > 0 ? `, resumed from ${formatBytes(result.resumedFrom)}` : '';
    const verified = result.checksum === 'none' ? 'not verified' : `sha256 verified (${CHECKSUM_SOURCE[result.checksum]})`;
    progress.succeed(`Saved ${result.path} (${formatBytes(result.sizeBytes)}${resumed}; ${verified})`);
    if (result.checksum === 'none') {
      ctx.ui.warn(`no checksum is known for ${result.url}; pass --sha256 to verify it (sha256 of what was saved: ${result.sha256})`);
    }
  }
  ctx.ui.out(result.path);
}

const CHECKSUM_SOURCE = { option: '--sha256', catalogue: 'recommended-models list', sidecar: '.sha256 file from the server' } as const;

function describe(p: PullProgress): string {
  if (p.totalBytes)
    return `${formatBytes(p.receivedBytes)} of ${formatBytes(p.totalBytes)} (${Math.floor((100 * p.receivedBytes) / p.totalBytes)}%)`;
  return formatBytes(p.receivedBytes);
}

/** Progress arrives per network chunk; a spinner only needs a few updates a second. */
function throttle<T>(ms: number, fn: (value: T) => void): (value: T) => void {
  let last = 0;
  return (value) => {
    const now = Date.now();
    if (now - last < ms) return;
    last = now;
    fn(value);
  };
}
