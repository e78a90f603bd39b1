/** The download half of `draft models pull`: a resumable, hashed, GGUF-checked transfer into a `.partial` file. */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import { InterruptedError, RunError, UsageError } from '../errors.js';
import { startsWithGgufMagic } from './gguf-file.js';
import { messageOf } from './load-binding.js';

export interface PullProgress {
  /** Bytes on disk so far, including any resumed part. */
  receivedBytes: number;
  totalBytes?: number;
  /** Bytes that were already on disk from an earlier, interrupted attempt. */
  resumedFrom: number;
}

export interface Downloaded {
  sizeBytes: number;
  sha256: string;
  resumedFrom: number;
}

/**
 * Downloads `url` into `partial`, resuming with an HTTP Range request from a usable partial file and
 * hashing as it goes; anything that is not a GGUF file is refused after its first bytes.
 */
export async function downloadToPartial(
  url: string,
  partial: string,
  signal: AbortSignal | undefined,
  onProgress: ((progress: PullProgress) => void) | undefined,
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

export async function sizeOf(file: string): Promise<number | undefined> {
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

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError('Download interrupted; run the same command again to resume');
}

/** fetch() reports "fetch failed" and hides the reason (ECONNREFUSED, ENOTFOUND) in `cause`. */
function causeMessage(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return messageOf(cause ?? error);
}
