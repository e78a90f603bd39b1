import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { draft, KEY, manifestOf, put, readJson, REQUESTS_PER_SMALL_DRAFT, useBatchEnv } from './fixtures/batch/harness.js';
import { runDraft } from './support/run-command.js';

const env = useBatchEnv();

async function cacheFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true })).map(String).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
}

describe('response cache', () => {
  it('serves an unchanged re-run from disk with zero requests, and never stores the key', async () => {
    await put(env, 'briefs.yaml', manifestOf(2));
    const cacheDir = join(env.dir, '.cache', 'draft', 'responses'); // HOME is the test folder
    const first = await draft(env, ['batch', 'briefs.yaml']);
    expect(first.code).toBe(0);
    const sent = 2 * REQUESTS_PER_SMALL_DRAFT;
    expect(env.server.requests).toHaveLength(sent);
    const files = await cacheFiles(cacheDir);
    expect(files).toHaveLength(sent);

    for (const file of files) {
      const text = await readFile(join(cacheDir, file), 'utf8');
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('sk-');
      expect(text).not.toContain(env.server.url); // a base URL may carry credentials too
      expect(Object.keys(JSON.parse(text)).sort()).toEqual(['createdAt', 'model', 'purpose', 'result', 'version']);
    }

    env.server.requests.length = 0;
    const again = await draft(env, ['batch', 'briefs.yaml', '--force', '--report', 'report.json']);
    expect(again.code).toBe(0);
    expect(env.server.requests).toHaveLength(0);
    const report = await readJson(env, 'report.json');
    expect(report.totals).toMatchObject({ ok: 2, requests: 0, cachedRequests: sent, costUsd: 0 });
    expect(report.cache).toEqual({ enabled: true, dir: cacheDir });
    expect(again.stderr).toMatch(/0 requests \(\+3 cached\)/);

    // --no-cache bypasses it.
    const bypass = await draft(env, ['batch', 'briefs.yaml', '--force', '--no-cache']);
    expect(bypass.code).toBe(0);
    expect(env.server.requests).toHaveLength(sent);
  });

  it('misses when anything that decides the reply changes: here the model', async () => {
    await put(env, 'briefs.yaml', manifestOf(1));
    expect((await draft(env, ['batch', 'briefs.yaml'])).code).toBe(0);
    env.server.requests.length = 0;
    expect((await draft(env, ['batch', 'briefs.yaml', '--force', '--model', 'gpt-4o'])).code).toBe(0);
    expect(env.server.requests).toHaveLength(REQUESTS_PER_SMALL_DRAFT);
    expect(env.server.requests.every((r) => r.body.model === 'gpt-4o')).toBe(true);
  });

  it('`draft cache path` and `draft cache clear` find it through $DRAFT_CACHE_DIR; clear touches only cache files', async () => {
    await put(env, 'briefs.yaml', manifestOf(1));
    const cacheDir = join(env.dir, 'ci-cache');
    const cacheEnv = { DRAFT_CACHE_DIR: cacheDir };
    expect((await draft(env, ['batch', 'briefs.yaml'], cacheEnv)).code).toBe(0);
    expect(await cacheFiles(cacheDir)).toHaveLength(REQUESTS_PER_SMALL_DRAFT);
    await mkdir(join(cacheDir, 'ab'), { recursive: true });
    await writeFile(join(cacheDir, 'ab', 'keep-me.json'), '{}');
    await writeFile(join(cacheDir, 'README.md'), 'not a cache entry');

    const path = await runDraft(['cache', 'path'], { cwd: env.dir, env: cacheEnv });
    expect(path.stdout.trim()).toBe(cacheDir);

    const cleared = await runDraft(['cache', 'clear'], { cwd: env.dir, env: cacheEnv });
    expect(cleared.code).toBe(0);
    expect(cleared.stderr).toMatch(new RegExp(`Cleared 3 cached replies \\(\\d+\\.\\d KiB\\) from ${cacheDir}`));
    expect((await readdir(cacheDir, { recursive: true })).map(String).sort()).toEqual(['README.md', 'ab', 'ab/keep-me.json']);

    env.server.requests.length = 0;
    expect((await draft(env, ['batch', 'briefs.yaml', '--force'], cacheEnv)).code).toBe(0);
    expect(env.server.requests).toHaveLength(REQUESTS_PER_SMALL_DRAFT);

    // --cache-dir wins over the environment.
    const other = await runDraft(['cache', 'clear', '--cache-dir', 'elsewhere'], { cwd: env.dir, env: cacheEnv });
    expect(other.stderr).toContain(`Cleared 0 cached replies (0.0 KiB) from ${join(env.dir, 'elsewhere')}`);
  });
});
