import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Budget } from '../src/core/batch/budget.js';
import { acquireDraftLock, lockPathFor } from '../src/core/batch/draft-lock.js';
import { annotation } from '../src/core/batch/github-actions.js';
import { inShard, parseShard, shardOf } from '../src/core/batch/shard.js';

describe('shards', () => {
  const ids = Array.from({ length: 200 }, (_, i) => `post-${i}`);

  it('put every id in exactly one of n shares, and the same one every time', () => {
    for (const count of [1, 2, 3, 7]) {
      const shares = Array.from({ length: count }, (_, i) => ids.filter((id) => inShard(id, { index: i + 1, count })));
      expect(shares.flat().sort()).toEqual([...ids].sort());
      expect(ids.map((id) => shardOf(id, count))).toEqual(ids.map((id) => shardOf(id, count)));
      // Roughly even: no share is empty or holds more than twice its part.
      for (const share of shares) {
        expect(share.length).toBeGreaterThan(0);
        expect(share.length).toBeLessThan((2 * ids.length) / count);
      }
    }
  });

  it('depend on the id alone, not on the order or the other briefs', () => {
    expect(shardOf('post-7', 4)).toBe(shardOf('post-7', 4));
    const before = ids.filter((id) => inShard(id, { index: 2, count: 4 }));
    const after = [...ids]
      .reverse()
      .concat(['new-1', 'new-2'])
      .filter((id) => inShard(id, { index: 2, count: 4 }));
    expect(after.filter((id) => !id.startsWith('new')).sort()).toEqual(before.sort());
  });

  it('parse i/n and reject anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/4', '5/4', '2', '2/0', 'a/b', '-1/3', '1.5/3']) expect(() => parseShard(bad), bad).toThrow(/--shard/);
  });
});

describe('draft locks', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'draft-lock-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('let exactly one holder in, and free the name on release', async () => {
    const draft = join(dir, 'posts', 'a.md');
    const attempts = await Promise.all(Array.from({ length: 8 }, () => acquireDraftLock(draft)));
    expect(attempts.filter((a) => a.acquired)).toHaveLength(1);
    const loser = attempts.find((a) => !a.acquired);
    expect(loser).toMatchObject({ acquired: false, owner: { pid: process.pid, host: hostname() }, lockPath: lockPathFor(draft) });
    const winner = attempts.find((a) => a.acquired)!;
    if (winner.acquired) await winner.release();
    expect(await readdir(join(dir, 'posts'))).toEqual([]);
    expect((await acquireDraftLock(draft)).acquired).toBe(true);
  });

  it('take over a lock whose process is gone, but never one from another host', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!; // has exited by the time spawnSync returns
    const draft = join(dir, 'b.md');
    await writeFile(lockPathFor(draft), JSON.stringify({ pid: dead, host: hostname(), startedAt: '2020-01-01T00:00:00Z', token: 'x' }));
    const taken = await acquireDraftLock(draft);
    expect(taken.acquired).toBe(true);
    expect(JSON.parse(await readFile(lockPathFor(draft), 'utf8')).pid).toBe(process.pid);

    const remote = join(dir, 'c.md');
    await writeFile(
      lockPathFor(remote),
      JSON.stringify({ pid: dead, host: 'another-machine', startedAt: '2020-01-01T00:00:00Z', token: 'y' }),
    );
    expect(await acquireDraftLock(remote)).toMatchObject({ acquired: false, owner: { host: 'another-machine' } });
  });

  it('do not release a lock someone else now holds', async () => {
    const draft = join(dir, 'd.md');
    const mine = await acquireDraftLock(draft);
    const theirs = JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: 'now', token: 'z' });
    await writeFile(lockPathFor(draft), theirs);
    expect(mine.acquired).toBe(true);
    if (mine.acquired) await mine.release();
    expect(await readFile(lockPathFor(draft), 'utf8')).toBe(theirs);
  });
});

describe('budget', () => {
  it('starts a draft only while spend plus reservations plus its estimate fit, waits while others run, stops when none do', async () => {
    const budget = new Budget(1.0);
    expect(budget.tryStart('a', 0.4)).toBe('start');
    expect(budget.tryStart('b', 0.4)).toBe('start');
    expect(budget.tryStart('c', 0.4)).toBe('wait'); // 0.8 reserved + 0.4 > 1.0, but a and b may come in cheaper
    const woken = budget.nextSettle();
    budget.settle('a', 0.1);
    await woken;
    expect(budget.tryStart('c', 0.4)).toBe('start'); // 0.1 + 0.4 + 0.4 = 0.9
    budget.settle('b', 0.5);
    budget.settle('c', 0.3);
    expect(budget.spentUsd).toBeCloseTo(0.9);
    expect(budget.tryStart('d', 0.2)).toBe('stop');
    expect(budget.tryStart('e', 0.1)).toBe('start'); // exactly at the limit is within it
  });
});

describe('GitHub annotations', () => {
  it('escape what would end the command or split its properties', () => {
    expect(annotation('error', '50% failed\nsee log', { file: 'a,b:c.yaml', line: 3, title: 'draft: x' })).toBe(
      '::error file=a%2Cb%3Ac.yaml,line=3,title=draft%3A x::50%25 failed%0Asee log',
    );
    expect(annotation('warning', 'plain')).toBe('::warning::plain');
  });
});
