import { mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import * as z from 'zod';
import { removeStaleLocks, waitForLock } from '../batch/draft-lock.js';
import { DraftError, RunError, UsageError } from '../errors.js';
import { writeExclusive } from '../fs/atomic-write.js';
import { findProjectRoot, stateDir } from '../project-root.js';
import { fingerprintOf } from './post.js';
import { exists } from '../fs/exists.js';
import { stateSnapshotName } from '../state-store.js';
import { migrateLegacyHistory } from './legacy-history.js';
import { namesIn } from '../fs/names-in.js';

/**
 * Every version draft replaces is kept at the project root (see findProjectRoot), never in a content
 * folder a site generator publishes: `<root>/.draft/history/<path of the post from the root>.d/` holds,
 * per change, `NNNN.snapshot` (the exact bytes the file had before it) and `NNNN.json` (what changed).
 *
 * The `.d` matters: Eleventy globs for `.md` paths and treats a folder whose name ends in `.md` as a
 * template, copying everything in it into `_site`, dot folder or not. Keyed by the post's own name,
 * every earlier version of every post went public. No key here ends in a template extension.
 */
export const HistoryEntrySchema = z.object({
  id: z.number().int().positive(),
  at: z.string(),
  action: z.enum(['revise', 'undo', 'restore']),
  /** The file's name after this change. */
  file: z.string(),
  summary: z.array(z.string()),
  changes: z.record(z.string(), z.unknown()).optional(),
  before: z.object({
    sha256: z.string(),
    bytes: z.number().int().nonnegative(),
    snapshot: z.string().optional(),
    /** A sidecar post's state sidecar before the change (`NNNN.state.snapshot`); null: it had none. */
    state: z.object({ sha256: z.string(), snapshot: z.string() }).nullable().optional(),
  }),
  after: z.object({
    sha256: z.string(),
    bytes: z.number().int().nonnegative(),
    state: z.object({ sha256: z.string() }).nullable().optional(),
  }),
  /** The revision this undo took back. */
  undoes: z.number().int().optional(),
  /** The entry whose saved version this restore brought back. */
  restores: z.number().int().optional(),
  /** The file was renamed by this change, from this name. */
  renamedFrom: z.string().optional(),
  /** Nothing was written: the file already had the bytes this undo would restore. */
  noop: z.boolean().optional(),
});

export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export interface HistoryPlace {
  /** The project root (see findProjectRoot). */
  root: string;
  /** The folder holding this post's snapshots and records. */
  dir: string;
  /** Held while a change to the post is checked and written, so concurrent runs take turns. */
  lock: string;
}

/** Where the history of `filePath` lives. Moves history left by the old layout there first. */
export async function historyPlace(filePath: string): Promise<HistoryPlace> {
  const path = resolve(filePath);
  const root = await findProjectRoot(dirname(path));
  const base = join(stateDir(root), 'history', relative(root, path));
  const place = { root, dir: `${base}.d`, lock: `${base}.lock` };
  await migrateLegacyHistory(path, place);
  return place;
}

export async function historyDir(filePath: string): Promise<string> {
  return (await historyPlace(filePath)).dir;
}

/** Waits its turn to change `filePath`; returns the release. */
export async function lockPost(
  filePath: string,
  options: { label: string; signal?: AbortSignal | undefined; timeoutMs?: number | undefined },
): Promise<() => Promise<void>> {
  const { lock } = await historyPlace(filePath);
  await mkdir(dirname(lock), { recursive: true }).catch((error: unknown) => {
    throw new RunError(`${dirname(lock)}: cannot create the history folder (${(error as NodeJS.ErrnoException).code})`, {
      hint: 'check that you can write to the project folder',
    });
  });
  await removeStaleLocks(dirname(lock)); // other posts' locks left by killed runs
  try {
    return await waitForLock(lock, { what: options.label, signal: options.signal, timeoutMs: options.timeoutMs });
  } catch (error) {
    if (error instanceof DraftError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new RunError(`${lock}: cannot create the lock file (${code}), so nothing was written`, {
      hint: code === 'ENOSPC' ? 'free some disk space and retry' : 'check that you can write to the project folder',
      cause: error,
    });
  }
}

const pad = (id: number) => String(id).padStart(4, '0');

/**
 * Entries in order, oldest first. A damaged record is refused, naming it: skipping it would show a
 * history that never happened and let undo walk past a change it cannot see.
 */
export async function readHistory(filePath: string): Promise<HistoryEntry[]> {
  const dir = await historyDir(filePath);
  const names = await namesIn(dir);
  const entries: HistoryEntry[] = [];
  for (const name of names.filter((n) => /^\d+\.json$/.test(n))) {
    const recordPath = join(dir, name);
    const damaged = (why: string, cause?: unknown) =>
      new UsageError(`${recordPath}: this history record is damaged (${why}), so draft will not guess what it held`, {
        hint: `restore it from a backup, or move it out of ${dir} to use the rest of the history (its snapshot stays beside it)`,
        code: 'history-damaged',
        ...(cause === undefined ? {} : { cause }),
      });
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(recordPath, 'utf8'));
    } catch (error) {
      throw damaged(error instanceof SyntaxError ? 'not valid JSON' : `unreadable: ${(error as NodeJS.ErrnoException).code}`, error);
    }
    const parsed = HistoryEntrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw damaged(`${issue.path.join('.') || 'record'}: ${issue.message}`);
    }
    if (parsed.data.id !== Number(name.slice(0, -'.json'.length))) throw damaged(`it says it is #${parsed.data.id}`);
    entries.push(parsed.data);
  }
  return entries.sort((a, b) => a.id - b.id);
}

/** An entry whose number and snapshot are claimed but whose record is not written yet. */
export interface PreparedEntry {
  dir: string;
  id: number;
  before: HistoryEntry['before'];
}

/**
 * Claims the next number and stores the bytes about to be replaced. Done before the file is written,
 * so there is never a moment when the old version exists nowhere.
 */
export async function prepareEntry(filePath: string, before: string | Buffer, stateBefore?: Buffer | null): Promise<PreparedEntry> {
  const dir = await historyDir(filePath);
  await mkdir(dir, { recursive: true }).catch((error: unknown) => {
    throw new RunError(`${dir}: cannot create the history folder (${(error as NodeJS.ErrnoException).code})`, {
      hint: 'check that you can write to the project folder',
    });
  });
  // Complete or absent (temp file, then link): a full disk never leaves a truncated snapshot.
  for (let id = (await highestId(dir)) + 1; ; id++) {
    const snapshot = `${pad(id)}.snapshot`;
    if (await writeExclusive(join(dir, snapshot), before)) {
      const bytes = typeof before === 'string' ? Buffer.byteLength(before) : before.length;
      const state = stateBefore === undefined ? {} : { state: await snapshotState(dir, id, stateBefore) };
      return { dir, id, before: { sha256: fingerprintOf(before), bytes, snapshot, ...state } };
    }
    // Taken: a run of an older draft, which did not lock, or a leftover snapshot without a record.
  }
}

/** An entry for a change that replaced nothing worth keeping (an undo that found the bytes already restored). */
export async function claimEmptyEntry(filePath: string, current: string | Buffer): Promise<PreparedEntry> {
  const dir = await historyDir(filePath);
  await mkdir(dir, { recursive: true });
  const bytes = typeof current === 'string' ? Buffer.byteLength(current) : current.length;
  return { dir, id: (await highestId(dir)) + 1, before: { sha256: fingerprintOf(current), bytes } };
}

export async function commitEntry(prepared: PreparedEntry, fields: Omit<HistoryEntry, 'id' | 'before'>): Promise<HistoryEntry> {
  const entry: HistoryEntry = { id: prepared.id, before: prepared.before, ...fields };
  const recordPath = join(prepared.dir, `${pad(prepared.id)}.json`);
  if (!(await writeExclusive(recordPath, `${JSON.stringify(entry, null, 2)}\n`))) {
    throw new RunError(`${recordPath} already exists, so this change was written but not recorded`, {
      hint: 'another program wrote into the history folder; `draft history` shows what it holds',
    });
  }
  return entry;
}

/** The write did not happen: forget the claimed snapshot. */
export async function discardEntry(prepared: PreparedEntry): Promise<void> {
  if (prepared.before.state) await unlink(join(prepared.dir, prepared.before.state.snapshot)).catch(() => undefined);
  if (prepared.before.snapshot) await unlink(join(prepared.dir, prepared.before.snapshot)).catch(() => undefined);
}

/** The state sidecar's bytes beside the post's (see state-store.ts); null when the post had none. */
async function snapshotState(dir: string, id: number, bytes: Buffer | null): Promise<{ sha256: string; snapshot: string } | null> {
  if (bytes === null) return null;
  const snapshot = stateSnapshotName(id);
  await unlink(join(dir, snapshot)).catch(() => undefined); // a leftover of an entry never recorded
  if (!(await writeExclusive(join(dir, snapshot), bytes)))
    throw new RunError(`${join(dir, snapshot)}: cannot keep the post's state in history`);
  return { sha256: fingerprintOf(bytes), snapshot };
}

/** The exact state sidecar saved before `entry`, checked against its hash; null when there was none. */
export async function readStateSnapshot(filePath: string, entry: HistoryEntry): Promise<Buffer | null> {
  const saved = entry.before.state;
  if (!saved) return null;
  const path = join(await historyDir(filePath), saved.snapshot);
  const bytes = await readFile(path).catch((error: unknown) => {
    throw new RunError(`the saved state of version #${entry.id} of ${basename(filePath)} is missing (${path})`, { cause: error });
  });
  if (fingerprintOf(bytes) !== saved.sha256) {
    throw new RunError(`the saved state of version #${entry.id} of ${basename(filePath)} is damaged (its checksum does not match)`, {
      hint: `inspect ${path} by hand`,
      code: 'history-damaged',
    });
  }
  return bytes;
}

/** The exact bytes saved before `entry`, checked against the hash recorded with them. */
export async function readSnapshot(filePath: string, entry: HistoryEntry): Promise<Buffer> {
  const name = entry.before.snapshot;
  if (!name) throw new RunError(`history entry #${entry.id} of ${basename(filePath)} kept no copy (nothing changed then)`);
  const dir = await historyDir(filePath);
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, name));
  } catch (error) {
    throw new RunError(`the saved version #${entry.id} of ${basename(filePath)} is missing from ${dir}`, { cause: error });
  }
  if (fingerprintOf(bytes) !== entry.before.sha256) {
    throw new RunError(`the saved version #${entry.id} of ${basename(filePath)} is damaged (its checksum does not match)`, {
      hint: `inspect ${join(dir, name)} by hand`,
      code: 'history-damaged',
    });
  }
  return bytes;
}

/**
 * Revisions and restores that are still in effect, oldest first: each undo takes back the newest one.
 * An undo is itself an entry, so `--to` can bring back what an undo replaced.
 */
export function undoStack(entries: readonly HistoryEntry[]): HistoryEntry[] {
  const stack: HistoryEntry[] = [];
  for (const entry of entries) {
    if (entry.action === 'undo') {
      if (stack.at(-1)?.id === entry.undoes) stack.pop();
    } else if (!entry.noop) {
      stack.push(entry);
    }
  }
  return stack;
}

/** History follows a renamed post. Refuses to merge into another file's history. */
export async function moveHistory(fromPath: string, toPath: string): Promise<void> {
  const from = await historyDir(fromPath);
  const to = await historyDir(toPath);
  if (from === to) return;
  if (await exists(to)) {
    throw new RunError(`${to} already exists, so the history of ${basename(fromPath)} stays in ${from}`);
  }
  await mkdir(dirname(to), { recursive: true });
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function highestId(dir: string): Promise<number> {
  return (await namesIn(dir)).reduce((max, name) => {
    const m = /^(\d+)\.(?:json|snapshot)$/.exec(name);
    return m ? Math.max(max, Number(m[1])) : max;
  }, 0);
}
