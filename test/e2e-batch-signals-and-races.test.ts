/**
 * What only real `draft batch` processes show: a signal from outside, and two runs (two CI jobs)
 * racing on one manifest. Needs the built CLI (`npm run build`).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { NOTES_END } from '../src/core/document/notes-block.js';
import {
  draftProcess as draft,
  filesIn,
  manifestOf,
  put,
  readJson,
  REQUESTS_PER_SMALL_DRAFT,
  useBatchEnv,
} from './fixtures/batch/harness.js';

const env = useBatchEnv();

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('draft batch: interruption and concurrent runs', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'on %s stops, finishes or aborts in-flight drafts cleanly, writes the report, exits 130',
    async (signal) => {
      env.server.setDelay(150);
      await put(env, 'briefs.yaml', manifestOf(8));
      let child: ChildProcess | undefined;
      const running = draft(
        env,
        ['batch', 'briefs.yaml', '--concurrency', '2', '--report', 'report.json'],
        {},
        { onSpawn: (c) => (child = c) },
      );
      await waitFor(async () => (await filesIn(env)).some((f) => f.endsWith('.md')));
      child!.kill(signal);
      const result = await running;

      expect(result.code).toBe(130);
      expect(result.stderr).toContain(signal === 'SIGINT' ? 'Interrupted' : 'Terminated');
      const report = await readJson(env, 'report.json');
      expect(report.stoppedBy).toBe('interrupted');
      expect(report.entries).toHaveLength(8);
      const statuses = report.entries.map((e: any) => e.status);
      expect(statuses).toContain('ok');
      expect(statuses).toContain('not-run');
      expect(statuses).not.toContain('failed');
      expect(report.entries.filter((e: any) => e.status === 'not-run').every((e: any) => e.reason === 'interrupted')).toBe(true);

      // Only whole drafts: no temp file, no lock, and every file on disk is a finished draft in the report.
      const files = await filesIn(env);
      const written = report.entries.filter((e: any) => e.status === 'ok').map((e: any) => e.path.replace('drafts/', ''));
      expect(files).toEqual(written.sort());
      for (const file of files) {
        expect((await readFile(join(env.dir, 'drafts', file), 'utf8')).trimEnd().endsWith(NOTES_END)).toBe(true);
      }
      expect((await filesIn(env, '.cache')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      // Later briefs were never started.
      expect(env.server.requests.length).toBeLessThan(8 * REQUESTS_PER_SMALL_DRAFT);
    },
  );

  it('wide runs print no Node warning: drafts of 12 sections at --concurrency 16, held for the Batch API, revised whole', async () => {
    // Each request in flight listens on one shared abort signal (the run's, a draft's, a revision's); past ten, Node warned of a leak.
    // Twelve drafts in flight on the run's signal; one of them drafts twelve sections at once on its own.
    await put(env, 'briefs.yaml', `${manifestOf(11)}  - id: wide\n    topic: Twelve sections at once\n    sections: 12\n`);
    const runs = [
      await draft(env, ['batch', 'briefs.yaml', '--concurrency', '16', '--no-cache', '--report', 'wide.json']),
      await draft(env, ['batch', 'briefs.yaml', '--provider-batch', '--poll-interval', '0.01', '--force', '--no-cache']),
      await draft(env, ['revise', 'drafts/wide.md', '--instruction', 'tighten', '--concurrency', '16', '--yes']),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect((await readFile(join(env.dir, 'drafts', 'wide.md'), 'utf8')).match(/^## /gm)).toHaveLength(13); // 12 and the notes
    for (const run of runs) expect(run.stderr).not.toMatch(/Warning|MaxListeners/);
  });

  it('two batches started at once on one manifest write each draft exactly once', async () => {
    env.server.setDelay(60);
    await put(env, 'briefs.yaml', manifestOf(6));
    const args = (n: number) => ['batch', 'briefs.yaml', '--concurrency', '2', '--no-cache', '--report', `report-${n}.json`];
    const [a, b] = await Promise.all([draft(env, args(1)), draft(env, args(2))]);
    expect([a.code, b.code]).toEqual([0, 0]);

    expect(await filesIn(env)).toEqual(['post-1.md', 'post-2.md', 'post-3.md', 'post-4.md', 'post-5.md', 'post-6.md']);
    expect(await readdir(join(env.dir, 'drafts'))).toHaveLength(6); // no lock or temp file left
    const reports = [await readJson(env, 'report-1.json'), await readJson(env, 'report-2.json')];
    const drafted = reports.flatMap((r) => r.entries.filter((e: any) => e.status === 'ok').map((e: any) => e.id));
    expect(drafted.sort()).toEqual(['post-1', 'post-2', 'post-3', 'post-4', 'post-5', 'post-6']);
    for (const r of reports) {
      for (const e of r.entries.filter((x: any) => x.status !== 'ok')) {
        expect(e.status).toBe('skipped');
        expect(['exists', 'locked']).toContain(e.reason);
      }
    }
    // Each draft was generated once: no request was spent twice.
    expect(env.server.requests).toHaveLength(6 * REQUESTS_PER_SMALL_DRAFT);
  });
});
