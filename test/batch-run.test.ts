import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastUserMessage, scriptedModel } from './support/scripted-model.js';
import { draft, filesIn, KEY, manifestOf, put, readJson, REQUESTS_PER_SMALL_DRAFT, useBatchEnv } from './fixtures/batch/harness.js';

const env = useBatchEnv();

/** Every request for the brief whose topic contains `marker` fails with `status` (retry-after 0, so retries are quick). */
function failTopic(marker: string, status = 500) {
  return scriptedModel({
    override: (_kind, req) => (lastUserMessage(req).includes(marker) ? { status, headers: { 'retry-after': '0' } } : undefined),
  });
}

const idsWith = (report: any, status: string) => report.entries.filter((e: any) => e.status === status).map((e: any) => e.id);

describe('draft batch: running', () => {
  it('bounds model calls in flight across all drafts by --concurrency, and writes each draft under its id', async () => {
    env.server.setDelay(60);
    await put(env, 'briefs.yaml', manifestOf(6));
    const result = await draft(env, ['batch', 'briefs.yaml', '--concurrency', '3', '--report', 'report.json']);
    expect(result.code).toBe(0);
    // Six drafts of three requests each, with up to three drafts in progress: the limit is reached, never passed.
    expect(env.server.maxInFlight).toBe(3);
    expect(env.server.requests).toHaveLength(6 * REQUESTS_PER_SMALL_DRAFT);
    expect(await filesIn(env)).toEqual(['post-1.md', 'post-2.md', 'post-3.md', 'post-4.md', 'post-5.md', 'post-6.md']);
    const report = await readJson(env, 'report.json');
    expect(report.totals).toMatchObject({ briefs: 6, ok: 6, failed: 0, requests: 18, cachedRequests: 0 });
    expect(report.totals.costUsd).toBeGreaterThan(0);
    expect(report.entries[0]).toMatchObject({ id: 'post-1', status: 'ok', path: 'drafts/post-1.md', requests: 3, model: 'gpt-4o-mini' });
    expect(report.entries[0].tokens.input).toBeGreaterThan(0);
    expect(report.process.maxRssKb).toBeGreaterThan(0);
    // Without a terminal: one plain line per finished draft.
    expect(result.stderr.match(/^ok +post-\d → drafts\/post-\d\.md: 3 requests/gm)).toHaveLength(6);
  });

  it('retries 429, 5xx and dropped connections, then carries on', async () => {
    await put(env, 'briefs.yaml', manifestOf(2));
    env.server.queue({ drop: true }, { status: 429, headers: { 'retry-after': '0' } }, { status: 503, headers: { 'retry-after': '0' } });
    const result = await draft(env, ['batch', 'briefs.yaml', '--concurrency', '1', '--retries', '3', '--report', 'report.json']);
    expect(result.stderr).not.toMatch(/^error:/m);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/retry 1\/3/);
    expect(result.stderr).toMatch(/retry 3\/3/);
    expect(env.server.requests).toHaveLength(2 * REQUESTS_PER_SMALL_DRAFT + 3);
    expect((await readJson(env, 'report.json')).totals).toMatchObject({ ok: 2, failed: 0 });
  });

  it('reports a draft that still fails, goes on with the others, exits 1, and annotates it on GitHub Actions', async () => {
    env.server.setHandler(failTopic('Topic number 2'));
    await put(env, 'briefs.yaml', manifestOf(3));
    const summary = join(env.dir, 'summary.md');
    const result = await draft(env, ['batch', 'briefs.yaml', '--report', 'report.json'], {
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: 1 of 3 draft(s) failed');
    expect(await filesIn(env)).toEqual(['post-1.md', 'post-3.md']);
    const report = await readJson(env, 'report.json');
    expect(idsWith(report, 'failed')).toEqual(['post-2']);
    expect(report.entries[1].error).toMatch(/gave up after 3 attempts/);
    // Three attempts of the outline for the failing brief, nothing more.
    expect(env.server.requests.filter((r) => lastUserMessage(r).includes('Topic number 2'))).toHaveLength(3);

    // The annotation points at the brief's line in the manifest (post-2 starts on line 8).
    expect(result.stdout).toMatch(/^::error file=briefs\.yaml,line=8,title=draft batch%3A post-2 failed::.*gave up after 3 attempts/m);
    expect(result.stdout.match(/^::/gm)).toHaveLength(1);
    const markdown = await readFile(summary, 'utf8');
    expect(markdown).toContain('### draft batch: `briefs.yaml`');
    expect(markdown).toContain('**2 ok · 1 failed · 0 skipped · 0 invalid · 0 not run**');
    expect(markdown).toMatch(/\| post-2 \| ❌ failed \| `drafts\/post-2\.md` \|/);
    expect(markdown).toMatch(/\| post-1 \| ✅ ok \| `drafts\/post-1\.md` \| 3 \|/);
    expect(markdown + result.stdout + result.stderr).not.toContain(KEY);
  });

  it('--fail-fast starts nothing after the first failure', async () => {
    env.server.setHandler(failTopic('Topic number 1'));
    await put(env, 'briefs.yaml', manifestOf(4));
    const result = await draft(env, [
      'batch',
      'briefs.yaml',
      '--concurrency',
      '1',
      '--fail-fast',
      '--retries',
      '0',
      '--report',
      'report.json',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('stopped at the first failure (--fail-fast): 1 failed, 3 not started');
    expect(env.server.requests).toHaveLength(1);
    const report = await readJson(env, 'report.json');
    expect(report.stoppedBy).toBe('fail-fast');
    expect(report.entries.map((e: any) => e.reason ?? e.status)).toEqual(['failed', 'fail-fast', 'fail-fast', 'fail-fast']);
  });

  it('resumes: a re-run after a partial run drafts only what is missing', async () => {
    env.server.setHandler(failTopic('Topic number 3', 400));
    await put(env, 'briefs.yaml', manifestOf(4));
    const first = await draft(env, ['batch', 'briefs.yaml', '--no-cache']);
    expect(first.code).toBe(1);
    const before = await readFile(join(env.dir, 'drafts', 'post-1.md'), 'utf8');

    env.server.setHandler(scriptedModel());
    env.server.requests.length = 0;
    const second = await draft(env, ['batch', 'briefs.yaml', '--no-cache', '--report', 'report.json']);
    expect(second.code).toBe(0);
    expect(env.server.requests).toHaveLength(REQUESTS_PER_SMALL_DRAFT);
    expect(env.server.requests.every((r) => lastUserMessage(r).includes('Topic number 3'))).toBe(true);
    const report = await readJson(env, 'report.json');
    expect(report.entries.map((e: any) => `${e.status}:${e.reason ?? ''}`)).toEqual([
      'skipped:exists',
      'skipped:exists',
      'ok:',
      'skipped:exists',
    ]);
    expect(await readFile(join(env.dir, 'drafts', 'post-1.md'), 'utf8')).toBe(before);

    // --force redoes them all, in place: no "-2" copies.
    const forced = await draft(env, ['batch', 'briefs.yaml', '--no-cache', '--force']);
    expect(forced.code).toBe(0);
    expect(await filesIn(env)).toEqual(['post-1.md', 'post-2.md', 'post-3.md', 'post-4.md']);
  });

  it('--max-cost stops starting drafts once spend so far plus the next estimate would pass it', async () => {
    await put(env, 'briefs.yaml', manifestOf(6));
    const maxCost = 0.001; // gpt-4o-mini's built-in price: a small draft costs about $0.0003
    const result = await draft(env, [
      'batch',
      'briefs.yaml',
      '--concurrency',
      '1',
      '--max-cost',
      String(maxCost),
      '--report',
      'report.json',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error: budget reached: \d draft\(s\) not written; spent \$0\.\d+ of \$0\.001/);
    const report = await readJson(env, 'report.json');
    expect(report.stoppedBy).toBe('budget');
    const done = report.entries.filter((e: any) => e.status === 'ok');
    const notRun = report.entries.filter((e: any) => e.status === 'not-run');
    expect(done.length).toBeGreaterThan(0);
    expect(notRun.length).toBeGreaterThan(0);
    expect(done.length + notRun.length).toBe(6);
    expect(notRun.every((e: any) => e.reason === 'budget')).toBe(true);
    // The rule itself: each draft started while spend so far plus its estimate fitted...
    let spent = 0;
    for (const e of done) {
      expect(spent + e.estimatedCostUsd).toBeLessThanOrEqual(maxCost);
      spent += e.costUsd;
    }
    // ...and the first one left out would not have (same briefs, so the same estimate).
    expect(spent + done[0].estimatedCostUsd).toBeGreaterThan(maxCost);
    expect(report.totals.costUsd).toBeCloseTo(spent, 10);
    expect(env.server.requests).toHaveLength(done.length * REQUESTS_PER_SMALL_DRAFT);
  });

  it('refuses --max-cost when the model has no known price (exit 2, nothing sent)', async () => {
    await put(env, 'briefs.yaml', manifestOf(2));
    const result = await draft(env, ['batch', 'briefs.yaml', '--model', 'mystery-model-7b', '--max-cost', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--max-cost: no price is known for mystery-model-7b');
    expect(env.server.requests).toHaveLength(0);
  });

  it('reports the cost of a model with no known price as unknown, never as zero', async () => {
    await put(env, 'briefs.yaml', manifestOf(1));
    const result = await draft(env, ['batch', 'briefs.yaml', '--model', 'mystery-model-7b', '--report', 'report.json']);
    expect(result.code).toBe(0);
    const report = await readJson(env, 'report.json');
    expect(report.entries[0].costUsd).toBeNull();
    expect(report.totals.costUsd).toBeNull();
    expect(result.stderr).toContain('cost unknown (no price for this model)');
  });

  it('uses the model a brief names, under the same single concurrency limit', async () => {
    env.server.setDelay(60);
    await put(env, 'briefs.yaml', manifestOf(4).replace('  - id: post-2\n', '  - id: post-2\n    model: gpt-4o\n'));
    const result = await draft(env, ['batch', 'briefs.yaml', '--concurrency', '2', '--report', 'report.json']);
    expect(result.code).toBe(0);
    expect(env.server.maxInFlight).toBe(2);
    const models = env.server.requests.map((r) => `${lastUserMessage(r).includes('Topic number 2') ? 'post-2' : 'other'}:${r.body.model}`);
    expect(new Set(models)).toEqual(new Set(['post-2:gpt-4o', 'other:gpt-4o-mini']));
    expect((await readJson(env, 'report.json')).entries.map((e: any) => e.model)).toEqual([
      'gpt-4o-mini',
      'gpt-4o',
      'gpt-4o-mini',
      'gpt-4o-mini',
    ]);
  });

  it('shards: n jobs together draft every brief exactly once', async () => {
    await put(env, 'briefs.yaml', manifestOf(9));
    const runs = await Promise.all(
      [1, 2, 3].map((i) => draft(env, ['batch', 'briefs.yaml', '--shard', `${i}/3`, '--report', `shard-${i}.json`])),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    const reports = await Promise.all([1, 2, 3].map((i) => readJson(env, `shard-${i}.json`)));
    const drafted = reports.flatMap((r) => idsWith(r, 'ok')).sort();
    expect(drafted).toEqual(Array.from({ length: 9 }, (_, i) => `post-${i + 1}`).sort());
    expect(reports.every((r) => r.entries.every((e: any) => e.status === 'ok'))).toBe(true);
    expect(reports.map((r) => r.shard)).toEqual([1, 2, 3].map((index) => ({ index, count: 3 })));
    expect(await filesIn(env)).toHaveLength(9);
    // Stable: the same shard takes the same briefs when asked again, and the dry run agrees.
    const again = await draft(env, ['batch', 'briefs.yaml', '--shard', '2/3', '--dry-run', '--force']);
    for (const id of idsWith(reports[1], 'ok')) expect(again.stdout).toMatch(new RegExp(`^${id} `, 'm'));
    expect(again.stdout).toContain(
      `Dry run: nothing will be sent. ${idsWith(reports[1], 'ok').length} brief(s) from briefs.yaml (shard 2/3)`,
    );
  });

  it('rejects a malformed --shard', async () => {
    await put(env, 'briefs.yaml', manifestOf(1));
    const result = await draft(env, ['batch', 'briefs.yaml', '--shard', '4/3']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--shard: "4/3" is not i/n');
  });
});
