import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { InterruptedError, RunError, UsageError } from '../errors.js';
import { startsWithGgufMagic } from './gguf-file.js';
import { messageOf } from './load-binding.js';
import { modelsDir } from './models-dir.js';
import { resolvePullSource } from './pull-source.js';

export interface PullProgress {
  /** Bytes on disk so far, including any resumed part. */
  receivedBytes: number;
  totalBytes?: number;
  /** Bytes that were already on disk from an earlier, interrupted attempt. */
  resumedFrom: number;
}

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

interface Downloaded {
  sizeBytes: number;
  sha256: string;
  resumedFrom: number;
}

async function downloadToPartial(
  url: string,
  partial: string,
  signal: AbortSignal | undefined,
  onProgress: PullOptions['onProgress'],
): Promise<Downloaded> {
  let offset = await usablePartialSize(partial);
  const hash = createHash('sha256');
  if (offset > 0) {
    try {
      await hashFile(partial, hash, signal);
    } catch (error) {
      throwIfAborted(signal);
      throw error;
    }
  }

  const response = await request(url, offset, signal);
  if (response.status === 416 && offset > 0) {
    // The partial file is already whole (or longer than the file now is).
    const total = totalFromContentRange(response.headers.get('content-range'));
    await response.body?.cancel();
    if (total === offset) return { sizeBytes: offset, sha256: hash.digest('hex'), resumedFrom: offset };
    await rm(partial, { force: true });
    return downloadToPartial(url, partial, signal, onProgress);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw new RunError(`download failed: HTTP ${status} from ${url}`, {
      hint: response.status === 404 ? 'check the model name or URL (and --base-url)' : 'try again later',
    });
  }

  let fresh: Hash = hash;
  const resumed = response.status === 206;
  if (!resumed || startFromContentRange(response.headers.get('content-range')) !== offset) {
    if (offset > 0 && resumed) {
      // A 206 for some other range cannot be appended; start over cleanly.
      await response.body.cancel();
      await rm(partial, { force: true });
      return downloadToPartial(url, partial, signal, onProgress);
    }
    // 200: the server ignored the Range header and sends the whole file.
    offset = 0;
    fresh = createHash('sha256');
  }
  const totalBytes = resumed
    ? totalFromContentRange(response.headers.get('content-range'))
    : numberOrUndefined(response.headers.get('content-length'));

  const file = await open(partial, offset > 0 ? 'a' : 'w');
  let received = offset;
  let head = offset > 0 ? undefined : Buffer.alloc(0);
  try {
    onProgress?.({ receivedBytes: received, totalBytes, resumedFrom: offset });
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (head !== undefined) {
        head = Buffer.concat([head, bytes]);
        if (head.length >= 4) {
          if (!startsWithGgufMagic(head)) throw notGguf(url, head);
          head = undefined;
        }
      }
      fresh.update(bytes);
      await writeAll(file, bytes);
      received += bytes.length;
      onProgress?.({ receivedBytes: received, totalBytes, resumedFrom: offset });
    }
  } catch (error) {
    await file.close();
    if (error instanceof UsageError) {
      await rm(partial, { force: true });
      throw error;
    }
    if (signal?.aborted) throw new InterruptedError('Download interrupted; run the same command again to resume');
    throw new RunError(`download of ${url} was cut off after ${received} bytes: ${messageOf(error)}`, {
      hint: 'run the same command again to resume where it stopped',
      cause: error,
    });
  }
  await file.close();
  if (head !== undefined) {
    await rm(partial, { force: true });
    throw notGguf(url, head);
  }
  if (totalBytes !== undefined && received !== totalBytes) {
    throw new RunError(`download of ${url} ended early: ${received} of ${totalBytes} bytes`, {
      hint: 'run the same command again to resume where it stopped',
    });
  }
  return { sizeBytes: received, sha256: fresh.digest('hex'), resumedFrom: offset };
}

function request(url: string, offset: number, signal: AbortSignal | undefined): Promise<Response> {
  const headers: Record<string, string> = { 'user-agent': 'draft-cli' };
  if (offset > 0) headers.range = `bytes=${offset}-`;
  return fetch(url, { headers, signal, redirect: 'follow' }).catch((error: unknown) => {
    throwIfAborted(signal);
    throw new RunError(`cannot download ${url}: ${causeMessage(error)}`, {
      hint: 'check the network and the URL (or --base-url / DRAFT_MODELS_BASE_URL)',
      cause: error,
    });
  });
}

/** A partial file too short to check, or not starting like GGUF, is worth nothing: drop it. */
async function usablePartialSize(partial: string): Promise<number> {
  const size = await sizeOf(partial);
  if (!size) return 0;
  const handle = await open(partial, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead === 4 && startsWithGgufMagic(head)) return size;
  } finally {
    await handle.close();
  }
  await rm(partial, { force: true });
  return 0;
}

async function hashFile(file: string, hash: Hash, signal: AbortSignal | undefined): Promise<void> {
  for await (const chunk of createReadStream(file, { signal })) hash.update(chunk as Buffer);
}

async function writeAll(file: FileHandle, bytes: Buffer): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await file.write(bytes, written, bytes.length - written);
    written += bytesWritten;
  }
}

function notGguf(url: string, head: Buffer): UsageError {
  const shown = JSON.stringify(head.subarray(0, 16).toString('latin1'));
  return new UsageError(`${url} is not a GGUF model file (it starts with ${shown}); nothing was saved`, {
    hint: 'use the direct file link; a page from a login wall or a wrong path is not the model',
  });
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

function startFromContentRange(header: string | null): number | undefined {
  const match = /^bytes\s+(\d+)-\d+\/(\d+|\*)$/i.exec(header?.trim() ?? '');
  return match ? Number(match[1]) : undefined;
}

function totalFromContentRange(header: string | null): number | undefined {
  const match = /\/(\d+)\s*$/.exec(header ?? '');
  return match ? Number(match[1]) : undefined;
}

function numberOrUndefined(value: string | null): number | undefined {
  const n = value === null ? NaN : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError('Download interrupted; run the same command again to resume');
}

/** fetch() reports "fetch failed" and hides the reason (ECONNREFUSED, ENOTFOUND) in `cause`. */
function causeMessage(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return messageOf(cause ?? error);
}
