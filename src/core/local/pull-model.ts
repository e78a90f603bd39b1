import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { RunError, UsageError } from '../errors.js';
import { modelsDir } from './models-dir.js';
import { resolvePullSource } from './pull-source.js';
import { downloadToPartial, sizeOf, throwIfAborted, type PullProgress } from './resumable-download.js';

export interface PullOptions {
  /** A catalogue name, or a *.gguf file name on the base URL. */
  name?: string;
  url?: string;
  /** Default: DRAFT_MODELS_BASE_URL, else https://huggingface.co. */
  baseUrl?: string;
  /** Final file path. Default: <dir>/<file name>. */
  dest?: string;
  /** Folder when `dest` is not given. Default: the models folder. */
  dir?: string;
  /** Overrides the catalogue's checksum. */
  expectedSha256?: string;
  /** Download again even when the file is already there, discarding any partial download. */
  force?: boolean;
  signal?: AbortSignal;
  onProgress?(progress: PullProgress): void;
  env?: NodeJS.ProcessEnv;
}

export type ChecksumSource = 'option' | 'catalogue' | 'sidecar' | 'none';

export interface PullResult {
  path: string;
  url: string;
  sizeBytes: number;
  sha256: string;
  /** Where the expected checksum came from; 'none' means the download could not be verified. */
  checksum: ChecksumSource;
  resumedFrom: number;
  /** The file was already in place; nothing was downloaded. */
  alreadyPresent: boolean;
}

/**
 * Downloads a model to `<dest>.partial`, resuming with an HTTP Range request when a partial file
 * exists, verifies its sha256, and only then renames it into place, so the final name never holds
 * half a file. An interrupted download keeps its partial file for the next attempt; a corrupt one
 * (wrong checksum, not GGUF) is deleted.
 */
export async function pullModel(options: PullOptions): Promise<PullResult> {
  const env = options.env ?? process.env;
  const source = resolvePullSource(options, env);
  const dest = path.resolve(options.dest ?? path.join(options.dir ?? modelsDir(env), source.fileName));
  const partial = `${dest}.partial`;
  const signal = options.signal;
  throwIfAborted(signal);

  const existing = await sizeOf(dest);
  if (existing !== undefined && !options.force) {
    return {
      path: dest,
      url: source.url,
      sizeBytes: existing,
      sha256: '',
      checksum: 'none',
      resumedFrom: 0,
      alreadyPresent: true,
    };
  }
  await mkdir(path.dirname(dest), { recursive: true });
  if (options.force) await rm(partial, { force: true });

  const expected = await expectedChecksum(options, source.entry?.sha256, source.url, signal);
  const download = await downloadToPartial(source.url, partial, signal, options.onProgress);

  if (expected.sha256 && expected.sha256 !== download.sha256) {
    await rm(partial, { force: true });
    throw new RunError(`checksum mismatch for ${source.url}: expected sha256 ${expected.sha256}, got ${download.sha256}`, {
      hint:
        expected.source === 'option'
          ? 'check the --sha256 value; the download was deleted'
          : 'the download was deleted; run the command again, and report it if it repeats',
    });
  }
  await rename(partial, dest);
  return {
    path: dest,
    url: source.url,
    sizeBytes: download.sizeBytes,
    sha256: download.sha256,
    checksum: expected.sha256 ? expected.source : 'none',
    resumedFrom: download.resumedFrom,
    alreadyPresent: false,
  };
}

async function expectedChecksum(
  options: PullOptions,
  fromCatalogue: string | undefined,
  url: string,
  signal: AbortSignal | undefined,
): Promise<{ sha256?: string; source: ChecksumSource }> {
  if (options.expectedSha256 !== undefined) {
    const sha256 = options.expectedSha256.trim().toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(sha256)) {
      throw new UsageError(`--sha256: not a sha256 hex digest: ${options.expectedSha256}`, {
        hint: 'it is 64 hexadecimal characters, as printed by `sha256sum FILE`',
      });
    }
    return { sha256, source: 'option' };
  }
  if (fromCatalogue) return { sha256: fromCatalogue, source: 'catalogue' };
  const sidecar = await fetchSidecar(`${url}.sha256`, signal);
  return sidecar ? { sha256: sidecar, source: 'sidecar' } : { source: 'none' };
}

/** `<url>.sha256` in sha256sum format ("<hex>  <file>") or the bare digest; absent is fine. */
async function fetchSidecar(url: string, signal: AbortSignal | undefined): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal });
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    const text = (await response.text()).slice(0, 1024);
    return /\b([0-9a-fA-F]{64})\b/.exec(text)?.[1]?.toLowerCase();
  } catch (error) {
    throwIfAborted(signal);
    void error; // a missing or unreachable sidecar only means "not verified"
    return undefined;
  }
}
