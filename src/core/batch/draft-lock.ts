import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

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
  const lockPath = lockPathFor(draftPath);
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
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
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
