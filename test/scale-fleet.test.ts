/**
 * Issue 14, CI fleets: shard reports merged into one (same manifest, full coverage, nothing twice),
 * `draft batch status` / `cancel`, and a 1,000-brief manifest drafted through the Batch API in two
 * shards, one interrupted and resumed, then merged. In-process, against the test server.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../src/commands/batch.js';
import { runBatchCancel, runBatchStatus } from '../src/commands/batch-jobs.js';
import { runBatchReportMerge } from '../src/commands/batch-report-merge.js';
import type { DraftError } from '../src/core/errors.js';
import { runCommand } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-fleet-');
const env = () => ({ OPENAI_API_KEY: 'sk-test-fleet-0123456789abcdef', GITHUB_STEP_SUMMARY: join(tempDir(), 'summary.md') });
const provider = () => ({ baseUrl: server().url, retries: '0', timeout: '5', cache: false });
const exec = (command: Parameters<typeof runCommand>[0]) => runCommand(command, { cwd: tempDir(), env: env() });

async function manifest(count: number): Promise<void> {
  await writeFile(join(tempDir(), 'package.json'), '{}\n');
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ id: `b${i + 1}`, topic: `Brief ${i + 1}`, words: 150, sections: 1 }),
  );
  await writeFile(join(tempDir(), 'briefs.jsonl'), `${lines.join('\n')}\n`);
}
const shardRun = (i: number, n: number, extra: Record<string, unknown> = {}, signal?: AbortSignal) =>
  exec((ctx) =>
    runBatch('briefs.jsonl', { ...provider(), shard: `${i}/${n}`, report: `r${i}.json`, ...extra }, signal ? { ...ctx, signal } : ctx),
  );
const merge = (files: string[]) => exec((ctx) => runBatchReportMerge(files, { out: 'all.json' }, ctx));
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as DraftError,
  );
const readJson = async (name: string) => JSON.parse(await readFile(join(tempDir(), name), 'utf8'));

describe('draft batch report merge', () => {
  it('three shards merge into one report covering the manifest once, with one step summary', async () => {
    await manifest(9);
    for (const i of [1, 2, 3]) await shardRun(i, 3);
    await merge(['r1.json', 'r2.json', 'r3.json']);
    const all = await readJson('all.json');
    expect(all.totals).toMatchObject({ briefs: 9, ok: 9 });
    expect(all.entries.map((e: any) => e.id)).toEqual(['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8', 'b9']);
    expect(all.merged).toMatchObject({ manifestChecked: true, problems: [], shards: ['1/3', '2/3', '3/3'] });
    const summary = await readFile(join(tempDir(), 'summary.md'), 'utf8');
    expect(summary.match(/^### draft batch: `briefs.jsonl`$/gm)).toHaveLength(1);
    expect(summary).toContain('every brief covered once');
  });

  it('a missing shard names the briefs no report has; a report given twice flags the briefs drafted twice', async () => {
    await manifest(6);
    await shardRun(1, 2);
    const missing = await failure(merge(['r1.json']));
    expect(missing?.exitCode).toBe(1);
    const all = await readJson('all.json');
    const absent = all.entries.map((e: any) => e.id);
    expect(all.merged.problems).toContain('shard 2/2 is missing');
    for (const m of all.merged.missing) expect(absent).not.toContain(m.id);
    expect(all.merged.missing.length + absent.length).toBe(6);

    const twice = await failure(merge(['r1.json', 'r1.json']));
    expect(twice?.exitCode).toBe(1);
    const dup = await readJson('all.json');
    expect(dup.merged.problems).toContain('shard 1/2 is in r1.json and r1.json');
    expect(dup.merged.duplicated.length).toBe(absent.length);
    expect(dup.merged.problems.some((p: string) => /drafted twice/.test(p))).toBe(true);
  });

  it('reports of different manifests are refused, and nothing is written', async () => {
    await manifest(2);
    await shardRun(1, 1);
    const other = await readJson('r1.json');
    await writeFile(join(tempDir(), 'other.json'), JSON.stringify({ ...other, manifest: 'other.yaml' }));
    const error = await failure(merge(['r1.json', 'other.json']));
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toMatch(/different manifests/);
    await expect(readFile(join(tempDir(), 'all.json'))).rejects.toThrow();
  });
});

describe('draft batch status and cancel', () => {
  it('status shows the saved run and its job; cancel cancels it, and the next run resubmits what was unanswered', async () => {
    await manifest(2);
    server().setBatchBehaviour({ delayMs: 60_000 });
    const controller = new AbortController();
    const first = shardRun(1, 1, { providerBatch: true, pollInterval: '0.01' }, controller.signal);
    for (let i = 0; i < 500 && server().batches.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await first;
    const status = await exec((ctx) => runBatchStatus('briefs.jsonl', { ...provider(), shard: '1/1' }, ctx));
    expect(status.stdout).toMatch(/batch_test_1 {2}round 1 {2}outlines {2}2 request\(s\) {2}in_progress/);
    const cancelled = await exec((ctx) => runBatchCancel('briefs.jsonl', { ...provider(), shard: '1/1' }, ctx));
    expect(cancelled.stdout).toContain('cancelled');
    expect(server().batches[0]!.status).toBe('cancelled');
    const list = await exec((ctx) => runBatchStatus(undefined, {}, ctx));
    expect(list.stdout).toMatch(/briefs-shard1of1-\w+ {2}briefs.jsonl shard 1\/1 {2}cancelled/);

    server().setBatchBehaviour({ delayMs: 0 });
    await shardRun(1, 1, { providerBatch: true, pollInterval: '0.01' });
    // The cancelled job answered nothing: its two outlines went out once more, in a job of their own.
    expect(
      server()
        .batches[1]!.lines.map((l) => l.custom_id)
        .sort(),
    ).toEqual(['b1:outline:1', 'b2:outline:1']);
    expect((await readJson('r1.json')).totals.ok).toBe(2);
  });
});

describe('1,000 briefs through the Batch API', () => {
  it('two shards, the first interrupted and resumed, merged into one report covering all 1,000', async () => {
    await manifest(1000);
    const batch = { providerBatch: true, pollInterval: '0.01' };
    server().setBatchBehaviour({ delayMs: 60_000 });
    const controller = new AbortController();
    const first = shardRun(1, 2, batch, controller.signal);
    for (let i = 0; i < 3000 && server().batches.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await first;
    expect((await readJson('r1.json')).totals.notRun).toBeGreaterThan(400);
    server().setBatchBehaviour({ delayMs: 0 });
    await shardRun(1, 2, batch);
    await shardRun(2, 2, batch);
    // Shard 1: outlines (resumed, not resubmitted) and sections; shard 2 the same: four jobs in all.
    expect(server().batches).toHaveLength(4);
    expect(server().requests).toHaveLength(0);
    await merge(['r1.json', 'r2.json']);
    const all = await readJson('all.json');
    expect(all.totals).toMatchObject({ briefs: 1000, ok: 1000, failed: 0 });
    expect(all.merged.problems).toEqual([]);
    expect(await readdir(join(tempDir(), 'drafts'))).toHaveLength(1000);
  }, 120_000);
});
