import path from 'node:path';
import { UsageError } from '../errors.js';
import { CATALOGUE, DEFAULT_MODELS_BASE_URL, findCatalogueModel, type CatalogueModel } from './catalogue.js';
import { isGgufName } from './models-dir.js';

export interface PullSource {
  url: string;
  /** Saved under this name in the models folder (unless a destination is given). */
  fileName: string;
  /** From the catalogue, when the name was one of its models. */
  entry?: CatalogueModel;
}

/**
 * What `draft models pull X` fetches: a URL as given; a catalogue name on the models base URL;
 * or any other `*.gguf` name as a file on the base URL (a private mirror, or a test server).
 */
export function resolvePullSource(
  options: { name?: string; url?: string; baseUrl?: string },
  env: NodeJS.ProcessEnv = process.env,
): PullSource {
  const target = options.url ?? options.name;
  if (!target?.trim()) {
    throw new UsageError('models pull: name a model or a URL', { hint: catalogueHint() });
  }
  if (options.url !== undefined || /^https?:\/\//i.test(target)) return fromUrl(target.trim());

  const base = options.baseUrl ?? env.DRAFT_MODELS_BASE_URL ?? DEFAULT_MODELS_BASE_URL;
  const flag = options.baseUrl !== undefined ? '--base-url' : env.DRAFT_MODELS_BASE_URL ? 'DRAFT_MODELS_BASE_URL' : 'base URL';
  const entry = findCatalogueModel(target);
  if (entry) return { url: joinUrl(base, entry.path, flag), fileName: entry.fileName, entry };
  if (isGgufName(target)) {
    return { url: joinUrl(base, target, flag), fileName: path.posix.basename(target) };
  }
  throw new UsageError(`models pull: unknown model "${target}"`, { hint: catalogueHint() });
}

function fromUrl(raw: string): PullSource {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`models pull: not a valid URL: ${raw}`, { hint: 'e.g. https://host/path/model.gguf' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`models pull: only http and https URLs can be downloaded: ${raw}`);
  }
  const fileName = decodeURIComponent(path.posix.basename(url.pathname));
  if (!isGgufName(fileName)) {
    throw new UsageError(`models pull: the URL must name a .gguf file: ${raw}`, {
      hint: 'use the direct file link (on Hugging Face: .../resolve/main/<file>.gguf)',
    });
  }
  return { url: url.toString(), fileName };
}

/** The base may carry a path prefix (a mirror at https://host/models/), so join rather than resolve. */
function joinUrl(base: string, file: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(base.endsWith('/') ? base : `${base}/`);
  } catch {
    throw new UsageError(`${flag}: not a valid URL: ${base}`, { hint: `e.g. ${DEFAULT_MODELS_BASE_URL}` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${flag}: must be an http or https URL: ${base}`);
  }
  return new URL(file.replace(/^\/+/, ''), url).toString();
}

function catalogueHint(): string {
  return `known models: ${CATALOGUE.map((m) => m.name).join(', ')}; or give a URL, or a *.gguf name with --base-url`;
}
