import { modelFor } from './staged-provider.js';
import { createHash } from 'node:crypto';
import { readdir, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InterruptedError } from '../errors.js';
import { writeNewFile } from '../fs/atomic-write.js';
import type { ChatProvider, ChatRequest, ChatResult, ProviderInfo } from './types.js';

/**
 * Model replies cached on disk, so re-running unchanged work sends nothing.
 *
 * Where: $DRAFT_CACHE_DIR, else $XDG_CACHE_HOME/draft/responses, else ~/.cache/draft/responses. A user
 * cache rather than a folder in the project: cached replies are unpublished text that should not be
 * committed by accident, and one cache serves every project because the key already says everything
 * that decides a reply. CI keeps it between jobs by caching that path (`draft cache path` prints it).
 *
 * The key is a hash of the provider preset, base URL, model, messages, JSON schema, max tokens and
 * temperature. The API key is not part of it (a new key gives the same replies) and is never written:
 * an entry holds the reply, the model name and the request's purpose, nothing else.
 */

const FORMAT_VERSION = 1;
const KEY_PATTERN = /^[0-9a-f]{64}\.json$/;
const SHARD_PATTERN = /^[0-9a-f]{2}$/;

interface CacheEntry {
  version: number;
  model: string;
  purpose: string;
  createdAt: string;
  result: Omit<ChatResult, 'cached'>;
}

export interface ResponseCacheOptions {
  dir: string;
  /** A cache that cannot be written is not worth failing a draft for; the caller decides how loudly to say so. */
  onWriteError?(error: unknown): void;
}

export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.DRAFT_CACHE_DIR) return resolve(env.DRAFT_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(env.HOME || homedir(), '.cache');
  return join(base, 'draft', 'responses');
}

export function responseCacheKey(info: ProviderInfo, request: ChatRequest): string {
  const material = {
    v: FORMAT_VERSION,
    provider: info.provider,
    baseURL: info.baseURL ?? null,
    model: info.model,
    messages: request.messages.map((m) => [m.role, m.content]),
    json: request.json ?? null,
    maxTokens: request.maxTokens ?? null,
    temperature: request.temperature ?? null,
  };
  return createHash('sha256').update(JSON.stringify(material)).digest('hex');
}

export function withResponseCache(provider: ChatProvider, options: ResponseCacheOptions): ChatProvider {
  const dir = resolve(options.dir);
  const pathOf = (key: string) => ({ folder: join(dir, key.slice(0, 2)), name: `${key}.json` });
  return {
    info: provider.info,
    close: () => provider.close?.() ?? Promise.resolve(),
    async chat(request) {
      if (request.signal?.aborted) throw new InterruptedError();
      // With a model per stage, the model that will answer is the one the key names.
      const key = responseCacheKey(modelFor(provider.info, request.purpose), request);
      const { folder, name } = pathOf(key);
      const hit = await readEntry(join(folder, name));
      if (hit) return { ...hit.result, cached: true };

      const result = await provider.chat(request);
      // Only replies the drafting core accepts: a cut-off or empty reply must be asked for again next time.
      if (result.finishReason === 'stop' && result.text.trim() !== '') {
        const entry: CacheEntry = {
          version: FORMAT_VERSION,
          model: provider.info.model,
          purpose: request.purpose,
          createdAt: new Date().toISOString(),
          result: stripCached(result),
        };
        try {
          // Replace, not suffix: two runs caching the same reply write the same bytes, and rename is atomic.
          await writeNewFile(folder, name, JSON.stringify(entry), { force: true });
        } catch (error) {
          if (error instanceof InterruptedError) throw error;
          options.onWriteError?.(error);
        }
      }
      return result;
    },
  };
}

function stripCached(result: ChatResult): Omit<ChatResult, 'cached'> {
  const { cached: _cached, ...rest } = result;
  return rest;
}

/** A missing, unreadable or foreign file is a miss, never an error: the reply is simply asked for again. */
async function readEntry(path: string): Promise<CacheEntry | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const entry = JSON.parse(text) as Partial<CacheEntry>;
    const result = entry.result;
    if (entry.version !== FORMAT_VERSION || !result || typeof result.text !== 'string' || !result.usage) return undefined;
    return entry as CacheEntry;
  } catch {
    return undefined;
  }
}

export interface ClearedCache {
  entries: number;
  bytes: number;
}

/**
 * Removes cache entries and the temp files of interrupted writes. Only names the cache itself creates
 * are touched, so pointing --cache-dir at the wrong folder cannot delete anything else.
 */
export async function clearResponseCache(dir: string): Promise<ClearedCache> {
  const cleared: ClearedCache = { entries: 0, bytes: 0 };
  for (const shard of await listOrEmpty(dir)) {
    if (!SHARD_PATTERN.test(shard)) continue;
    const folder = join(dir, shard);
    for (const name of await listOrEmpty(folder)) {
      const isEntry = KEY_PATTERN.test(name);
      if (!isEntry && !/^\.[0-9a-f]{64}\.json\..*\.tmp$/.test(name)) continue;
      const path = join(folder, name);
      try {
        const { size } = await stat(path);
        await unlink(path);
        if (isEntry) {
          cleared.entries++;
          cleared.bytes += size;
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    // Left in place when something else lives there.
    await rmdir(folder).catch(() => undefined);
  }
  return cleared;
}

async function listOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}
