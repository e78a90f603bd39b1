/**
 * The per-post lock at the project root (`.draft/history/<path>.lock`) that makes a revision's
 * check-and-write step one turn at a time: a live holder makes the run wait, and if it never lets go
 * the run is refused with its proposal kept; a dead holder's lock is taken over.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunError } from '../src/core/errors.js';
import { applyRevision } from '../src/core/revise/apply-revision.js';
import { applyUndo, planUndo } from '../src/core/revise/undo.js';
import { loadPost } from '../src/core/revise/post.js';
import type { RevisionProposal } from '../src/core/revise/revise-post.js';
import { SEED } from './fixtures/revise/harness.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'draft-state-lock-'));
  await writeFile(join(dir, 'draft.config.json'), '{}\n');
  await writeFile(join(dir, 'post.md'), SEED);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const lockPath = () => join(dir, '.draft', 'history', 'post.md.lock');
const holder = (pid: number) => JSON.stringify({ pid, host: hostname(), startedAt: '2026-01-01T00:00:00Z', token: `t${pid}` });

async function proposal(): Promise<RevisionProposal> {
  const post = await loadPost(join(dir, 'post.md'), 'post.md');
  const text = post.text.replace('## The Market Fallout', '## The Market Fallout, revised');
  return {
    post,
    text,
    changed: true,
    record: {} as RevisionProposal['record'],
    summary: ['revised a heading'],
    usage: {} as RevisionProposal['usage'],
    figures: { total: 0, traced: 0, untraced: [] },
  };
}

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  return Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
}

describe('the per-post revision lock', () => {
  it('a lock its live holder never releases: refused after the wait, the proposal kept, the post untouched', async () => {
    const proposed = await proposal();
    await mkdir(join(dir, '.draft', 'history'), { recursive: true });
    await writeFile(lockPath(), holder(process.ppid));

    const error = await applyRevision(proposed, { lockTimeoutMs: 200 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RunError);
    const message = (error as RunError).message;
    expect(message).toContain(`post.md is locked by process ${process.ppid} on ${hostname()} (${lockPath()}), so nothing was written`);
    const saved = join(dir, '.draft', 'proposed', 'post.md.proposed');
    expect(message).toMatch(new RegExp(`the proposed revision is in ${saved.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    expect(await readFile(saved, 'utf8')).toBe(proposed.text);
    expect(await readFile(join(dir, 'post.md'), 'utf8')).toBe(SEED);
    expect(await readFile(lockPath(), 'utf8')).toBe(holder(process.ppid)); // not ours to remove
    expect(await readdir(join(dir, '.draft', 'history'))).toEqual(['post.md.lock']);
  });

  it('a lock left by a process that is gone is taken over, and released after the write', async () => {
    const proposed = await proposal();
    await mkdir(join(dir, '.draft', 'history'), { recursive: true });
    const dead = deadPid();
    await writeFile(lockPath(), holder(dead));
    // Another post's lock from the same dead run is swept too.
    await writeFile(join(dir, '.draft', 'history', 'other.md.lock'), holder(dead));

    const applied = await applyRevision(proposed, { lockTimeoutMs: 5_000 });
    expect(applied.entry.id).toBe(1);
    expect(await readFile(join(dir, 'post.md'), 'utf8')).toBe(proposed.text);
    expect((await readdir(join(dir, '.draft', 'history'))).sort()).toEqual(['post.md.d']);
  });

  it('an undo whose post changed after it was planned (a revision landed) writes nothing', async () => {
    await applyRevision(await proposal());
    const plan = await planUndo(join(dir, 'post.md'), 'post.md');
    const meanwhile = `${await readFile(join(dir, 'post.md'), 'utf8')}\nA revision that finished meanwhile.\n`;
    await writeFile(join(dir, 'post.md'), meanwhile);
    const error = await applyUndo(plan).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).message).toBe('post.md changed while the undo was being prepared, so nothing was written');
    expect(await readFile(join(dir, 'post.md'), 'utf8')).toBe(meanwhile);
    expect((await readdir(join(dir, '.draft', 'history', 'post.md.d'))).sort()).toEqual(['0001.json', '0001.snapshot']);
  });
});
