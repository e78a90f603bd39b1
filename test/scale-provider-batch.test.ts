/**
 * Issue 14: `draft batch --provider-batch` drafts through the provider's Batch API, one job per stage,
 * against the test server's /v1/files and /v1/batches (real HTTP, the real SDK, the scripted model).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../src/commands/batch.js';
import type { DraftError } from '../src/core/errors.js';
import { runCommand } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-scale-');
const env = () => ({ OPENAI_API_KEY: 'sk-test-scale-0123456789abcdef', DRAFT_CACHE_DIR: join(tempDir(), 'cache') });
const flags = (extra: Record<string, unknown> = {}) => ({
  providerBatch: true,
  baseUrl: server().url,
  retries: '0',
  timeout: '5',
  cache: false,
  pollInterval: '0.01',
  report: 'report.json',
  ...extra,
});

async function manifest(count: number, extra: Record<string, unknown> = {}): Promise<string> {
  const briefs = Array.from({ length: count }, (_, i) => ({
    id: `post-${i + 1}`,
    topic: `Topic number ${i + 1}`,
    words: 150,
    sections: 2,
    ...extra,
  }));
  await mkdir(tempDir(), { recursive: true });
  await writeFile(join(tempDir(), 'package.json'), '{}\n');
  await writeFile(join(tempDir(), 'briefs.json'), JSON.stringify({ briefs }));
  return 'briefs.json';
}

const run = (extra: Record<string, unknown> = {}, signal?: AbortSignal) =>
  runCommand((ctx) => runBatch('briefs.json', flags(extra), signal ? { ...ctx, signal } : ctx), { cwd: tempDir(), env: env() });

async function report(): Promise<any> {
  return JSON.parse(await readFile(join(tempDir(), 'report.json'), 'utf8'));
}

async function state(): Promise<any> {
  const dir = join(tempDir(), '.draft', 'batches');
  const [name] = await readdir(dir);
  return JSON.parse(await readFile(join(dir, name!), 'utf8'));
}

describe('draft batch --provider-batch', () => {
  it('drafts every brief with one job per stage, no online chat request, and the files an online run writes', async () => {
    await manifest(3, { links: ['Earlier post=https://example.com/earlier'] });
    server().setHandler((await import('./support/scripted-model.js')).scriptedModel({ omitLinks: true }));
    await run();
    expect(server().requests).toHaveLength(0);
    // outlines, then sections, then link repairs: three stages, three jobs.
    expect(server().batches.map((b) => b.lines.length)).toEqual([3, 9, 3]);
    expect(
      server()
        .batches[0]!.lines.map((l) => l.custom_id)
        .sort(),
    ).toEqual(['post-1:outline:1', 'post-2:outline:1', 'post-3:outline:1']);
    const r = await report();
    expect(r.totals).toMatchObject({ briefs: 3, ok: 3, failed: 0, requests: 15 });
    const post = await readFile(join(tempDir(), 'drafts', 'post-1.md'), 'utf8');
    expect(post).toContain('https://example.com/earlier');
    expect(post).toContain('## Collaboration notes');

    // The draft records what its report entry says it cost: the Batch API's price (one meter).
    const cost = (t: string) => Number(/^ {4}costUsd: (.+)$/m.exec(t)?.[1]);
    expect(cost(post)).toBe(r.entries[0].costUsd);

    // The same manifest drafted online gives the same post bytes but for dates, timing and the price paid.
    const online = join(tempDir(), 'online');
    await runCommand((ctx) => runBatch('briefs.json', { baseUrl: server().url, retries: '0', cache: false, out: online }, ctx), {
      cwd: tempDir(),
      env: env(),
    });
    const onlinePost = await readFile(join(online, 'post-1.md'), 'utf8');
    expect(cost(onlinePost)).toBeGreaterThan(cost(post));
    const strip = (t: string) => t.replace(/\d{4}-\d{2}-\d{2}[T\d:.Z+-]*/g, 'DATE').replace(/^( {4}costUsd:) .+$/m, '$1 COST');
    expect(strip(onlinePost)).toBe(strip(post));
    const saved = await state();
    expect(saved.jobs.map((j: any) => j.stage)).toEqual(['outlines', 'sections', 'link repairs']);
    expect(saved.finishedAt).toBeTruthy();
  });

  it('an invalid outline is retried in the next stage job, beside the sections', async () => {
    await manifest(2);
    const { scriptedModel } = await import('./support/scripted-model.js');
    const model = scriptedModel();
    let broken = false;
    server().setHandler((req, i) => {
      const last = req.body.messages.at(-1).content as string;
      if (!broken && last.startsWith('# Outline') && /Topic number 2/.test(last)) {
        broken = true;
        return { content: 'not an outline at all' };
      }
      return model(req, i);
    });
    await run();
    const jobs = server().batches.map((b) => b.lines.map((l) => l.custom_id));
    expect(jobs[0]!.sort()).toEqual(['post-1:outline:1', 'post-2:outline:1']);
    expect(jobs[1]).toContain('post-2:outline:2');
    expect(jobs[1]).toContain('post-1:section-1:1');
    expect((await report()).totals.ok).toBe(2);
    expect((await state()).jobs[1].stage).toBe('sections + outline retries');
  });

  it('a failing line fails its own draft only', async () => {
    await manifest(3);
    server().setBatchBehaviour({
      lineError: (id) => (id === 'post-2:outline:1' ? { code: 'server_error', message: 'line exploded' } : undefined),
    });
    await expect(run()).rejects.toThrow(/1 of 3/);
    const r = await report();
    expect(r.entries.map((e: any) => e.status)).toEqual(['ok', 'failed', 'ok']);
    expect(r.entries[1].error).toMatch(/line exploded/);
    expect(await readdir(join(tempDir(), 'drafts'))).toEqual(['post-1.md', 'post-3.md']);
  });

  it('an expired job: its finished lines are used and the rest resubmitted once', async () => {
    await manifest(4);
    server().setBatchBehaviour({ expireAfterLines: (job) => (job.id === 'batch_test_1' ? 1 : undefined) });
    await run();
    const jobs = server().batches.map((b) => b.lines.map((l) => l.custom_id));
    expect(jobs[0]).toHaveLength(4);
    expect(jobs[1]).toHaveLength(3);
    expect(new Set([...jobs[1]!, jobs[0]![0]])).toEqual(
      new Set(['post-1:outline:1', 'post-2:outline:1', 'post-3:outline:1', 'post-4:outline:1']),
    );
    expect((await report()).totals.ok).toBe(4);
    expect((await state()).jobs[1].resubmission).toBe(true);
  });

  it('interrupted while a job runs, the re-run polls the saved job and does not resubmit it', async () => {
    await manifest(2);
    server().setBatchBehaviour({ delayMs: 60_000 });
    const controller = new AbortController();
    const first = run({}, controller.signal);
    // Stop once the first job exists (its id is saved before anything else happens).
    for (let i = 0; i < 500 && (server().batches.length === 0 || server().batches[0]!.polls === 0); i++)
      await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await first;
    expect((await report()).totals.notRun).toBe(2);
    const saved = await state();
    expect(saved.jobs).toHaveLength(1);
    expect(saved.jobs[0].id).toBe('batch_test_1');
    expect(saved.finishedAt).toBeUndefined();

    server().setBatchBehaviour({ delayMs: 0 });
    await run();
    expect(server().batches[0]!.polls).toBeGreaterThan(1);
    // Job 1 (outlines) resumed, job 2 the sections: the outlines were never sent again.
    expect(server().batches).toHaveLength(2);
    expect(server().batches[1]!.lines.every((l) => l.custom_id.includes(':section-'))).toBe(true);
    expect((await report()).totals.ok).toBe(2);
  });

  it('a server without the Batch API: the error names the endpoint it tried', async () => {
    await manifest(1);
    server().setBatchBehaviour({ available: false });
    const error = (await run().catch((e: unknown) => e)) as DraftError;
    const r = await report();
    expect(r.entries[0].error ?? error.message).toContain(`${server().url}/files answered 404`);
  });

  it('the response cache applies: an unchanged re-run with --force submits nothing', async () => {
    await manifest(2);
    await run({ cache: true });
    const jobs = server().batches.length;
    await run({ cache: true, force: true });
    expect(server().batches).toHaveLength(jobs);
    expect((await report()).totals).toMatchObject({ ok: 2, requests: 0 });
  });
});
