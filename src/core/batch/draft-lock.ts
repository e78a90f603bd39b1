import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { InterruptedError, RunError } from '../errors.js';
import { processIsGone } from '../fs/process-gone.js';
import { namesIn } from '../fs/names-in.js';

/**
 * One lock file per draft, so two batches started at once on the same manifest never draft the same
 * brief twice: the lock is created with O_EXCL, which exactly one process wins. A lock left by a run
 * that died (same host, process gone) is stale and taken over; a lock from another host is never
 * guessed about, because its process cannot be checked from here.
 */

export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  /** Distinguishes two holders that happen to share a pid over time. */
  token: string;
}

export type LockResult = { acquired: true; release: () => Promise<void> } | { acquired: false; owner?: LockOwner; lockPath: string };

/** Hidden, beside the draft: site generators skip dot files, and the lock lives wherever the draft does. */
export function lockPathFor(draftPath: string): string {
  return join(dirname(draftPath), `.${basename(draftPath)}.lock`);
}

export async function acquireDraftLock(draftPath: string): Promise<LockResult> {
  return acquireLock(lockPathFor(draftPath));
}

/** One try at the lock file `lockPath` (any path; the folder is created). */
export async function acquireLock(lockPath: string): Promise<LockResult> {
  await mkdir(dirname(lockPath), { recursive: true });
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  const text = JSON.stringify(me);
  // Two rounds: one to find a stale lock and take it over, one to claim the freed name.
  for (let round = 0; round < 2; round++) {
    if (await createExclusive(lockPath, text)) {
      return { acquired: true, release: () => releaseIfMine(lockPath, text) };
    }
    const seen = await readOwner(lockPath);
    if (seen === 'gone') continue;
    if (!seen || !isStale(seen.owner)) return { acquired: false, owner: seen?.owner, lockPath };
    if (!(await breakStaleLock(lockPath, seen.text))) return { acquired: false, owner: seen.owner, lockPath };
  }
  return { acquired: false, lockPath };
}

async function createExclusive(path: string, text: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(text);
    } catch (error) {
      // An empty lock would read as held forever.
      await handle.close();
      await unlink(path).catch(() => undefined);
      throw error;
    }
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** 'gone' when the lock disappeared meanwhile; undefined when it cannot be read as a lock (kept, to be safe). */
async function readOwner(path: string): Promise<{ owner: LockOwner; text: string } | 'gone' | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? { owner, text } : undefined;
  } catch {
    // Its writer may still be between open and write: treat it as held.
    return undefined;
  }
}

function isStale(owner: LockOwner): boolean {
  return owner.host === hostname() && processIsGone(owner.pid);
}

/**
 * Moves the stale lock aside (rename is atomic, so only one contender gets it) and checks that what it
 * moved is still the stale lock it read: if another process took over in between, its live lock is put back.
 */
async function breakStaleLock(lockPath: string, staleText: string): Promise<boolean> {
  const aside = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (moved !== staleText) {
    await link(aside, lockPath).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
    return false;
  }
  await unlink(aside).catch(() => undefined);
  return true;
}

async function releaseIfMine(lockPath: string, text: string): Promise<void> {
  const current = await readFile(lockPath, 'utf8').catch(() => undefined);
  if (current === text) await unlink(lockPath).catch(() => undefined);
}

/**
 * Waits for a lock that is held only for a short critical section (a revision's re-read, history
 * write and rename). Gives up after `timeoutMs`, naming the lock file so a person can judge it.
 */
export async function waitForLock(
  lockPath: string,
  options: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined; what: string },
): Promise<() => Promise<void>> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    if (options.signal?.aborted) throw new InterruptedError();
    const lock = await acquireLock(lockPath);
    if (lock.acquired) return lock.release;
    if (Date.now() >= deadline) {
      const who = lock.owner ? `process ${lock.owner.pid} on ${lock.owner.host}` : 'a process draft cannot identify';
      throw new RunError(`${options.what} is locked by ${who} (${lockPath}), so nothing was written`, {
        hint: `wait for that run to finish; if no draft is running, delete ${lockPath} and retry`,
      });
    }
    await new Promise((done) => setTimeout(done, pause));
  }
}

/**
 * Lock files (`.<name>.lock`) in `folder` left by runs that died on this machine, and the `.stale`
 * copies a takeover moves aside, are removed. Returns the paths removed.
 */
export async function removeStaleLocks(folder: string): Promise<string[]> {
  const names = await namesIn(folder);
  const removed: string[] = [];
  for (const name of names) {
    const path = join(folder, name);
    const aside = /\.lock\.(\d+)\.[0-9a-f]{8}\.stale$/.exec(name);
    if (aside) {
      if (
        processIsGone(Number(aside[1])) &&
        (await unlink(path).then(
          () => true,
          () => false,
        ))
      )
        removed.push(path);
      continue;
    }
    if (!name.endsWith('.lock')) continue;
    const seen = await readOwner(path).catch(() => undefined);
    if (!seen || seen === 'gone' || !isStale(seen.owner)) continue;
    if (await breakStaleLock(path, seen.text).catch(() => false)) removed.push(path);
  }
  return removed;
}
