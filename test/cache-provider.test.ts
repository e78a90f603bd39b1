import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultCacheDir, responseCacheKey, withResponseCache } from '../src/core/provider/response-cache.js';
import type { ChatProvider, ChatRequest, ChatResult, ProviderInfo } from '../src/core/provider/types.js';

const INFO: ProviderInfo = { provider: 'custom', model: 'm1', baseURL: 'http://127.0.0.1:1/v1' };
const REQUEST: ChatRequest = { purpose: 'the outline', messages: [{ role: 'user', content: 'Write an outline' }], maxTokens: 500 };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'draft-cache-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

function fakeProvider(reply: Partial<ChatResult> = {}): ChatProvider & { calls: number } {
  const provider = {
    info: INFO,
    calls: 0,
    async chat(): Promise<ChatResult> {
      provider.calls++;
      return { text: 'An answer', finishReason: 'stop', usage: { inputTokens: 10, outputTokens: 5 }, ...reply };
    },
  };
  return provider;
}

describe('responseCacheKey', () => {
  it('is stable, and changes with each thing that decides the reply', () => {
    const key = responseCacheKey(INFO, REQUEST);
    expect(responseCacheKey({ ...INFO }, { ...REQUEST, purpose: 'renamed' })).toBe(key); // the label does not decide the reply
    const variants: [ProviderInfo, ChatRequest][] = [
      [{ ...INFO, model: 'm2' }, REQUEST],
      [{ ...INFO, provider: 'openai' }, REQUEST],
      [{ ...INFO, baseURL: 'http://127.0.0.1:2/v1' }, REQUEST],
      [INFO, { ...REQUEST, messages: [{ role: 'user', content: 'Write an outline!' }] }],
      [INFO, { ...REQUEST, messages: [{ role: 'system', content: 'Write an outline' }] }],
      [INFO, { ...REQUEST, maxTokens: 501 }],
      [INFO, { ...REQUEST, temperature: 0.2 }],
      [INFO, { ...REQUEST, json: { name: 'outline', schema: { type: 'object' } } }],
    ];
    const keys = variants.map(([info, request]) => responseCacheKey(info, request));
    expect(new Set([key, ...keys]).size).toBe(variants.length + 1);
  });
});

describe('withResponseCache', () => {
  it('answers a repeated request from disk, marked cached, without calling the provider', async () => {
    const inner = fakeProvider();
    const cached = withResponseCache(inner, { dir });
    const first = await cached.chat(REQUEST);
    const second = await cached.chat({ ...REQUEST });
    expect(inner.calls).toBe(1);
    expect(first.cached).toBeUndefined();
    expect(second).toEqual({ ...first, cached: true });
    // A fresh decorator (a new process) reads the same file.
    const later = fakeProvider({ text: 'different' });
    expect((await withResponseCache(later, { dir }).chat(REQUEST)).text).toBe('An answer');
    expect(later.calls).toBe(0);
  });

  it('does not keep a reply the drafting core would reject (cut off or empty)', async () => {
    for (const reply of [{ finishReason: 'length' as const }, { text: '   ' }]) {
      const inner = fakeProvider(reply);
      const cached = withResponseCache(inner, { dir });
      await cached.chat(REQUEST);
      await cached.chat(REQUEST);
      expect(inner.calls).toBe(2);
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('treats an unreadable entry as a miss and replaces it', async () => {
    const inner = fakeProvider();
    const cached = withResponseCache(inner, { dir });
    await cached.chat(REQUEST);
    const key = responseCacheKey(INFO, REQUEST);
    const file = join(dir, key.slice(0, 2), `${key}.json`);
    await writeFile(file, '{"version": 1, "resu');
    expect((await cached.chat(REQUEST)).cached).toBeUndefined();
    expect(inner.calls).toBe(2);
    expect(JSON.parse(await readFile(file, 'utf8')).result.text).toBe('An answer');
  });

  it('still answers when the cache cannot be written, and says so through onWriteError', async () => {
    const blocked = join(dir, 'a-file');
    await writeFile(blocked, 'not a folder');
    const errors: unknown[] = [];
    const result = await withResponseCache(fakeProvider(), { dir: blocked, onWriteError: (e) => errors.push(e) }).chat(REQUEST);
    expect(result.text).toBe('An answer');
    expect(errors).toHaveLength(1);
  });
});

describe('defaultCacheDir', () => {
  it('prefers $DRAFT_CACHE_DIR, then $XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultCacheDir({ DRAFT_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/c');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/x/draft/responses');
    expect(defaultCacheDir({ HOME: '/h' })).toBe('/h/.cache/draft/responses');
  });
});
