import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { RunError } from '../errors.js';
import { fingerprintOf } from './post.js';

/**
 * Every version draft replaces is kept beside the drafts: `<folder of the post>/.draft/history/<file name>/`
 * holds, per change, `NNNN.snapshot` (the exact bytes the file had before it) and `NNNN.json` (what
 * changed). The folder travels with the drafts folder, is hidden from site generators (leading dot)
 * and from git by the project's `.draft/` ignore rule.
 */
export const HistoryEntrySchema = z.object({
  id: z.number().int().positive(),
  at: z.string(),
  action: z.enum(['revise', 'undo', 'restore']),
  /** The file's name after this change. */
  file: z.string(),
  summary: z.array(z.string()),
  changes: z.record(z.string(), z.unknown()).optional(),
  before: z.object({ sha256: z.string(), bytes: z.number().int().nonnegative(), snapshot: z.string().optional() }),
  after: z.object({ sha256: z.string(), bytes: z.number().int().nonnegative() }),
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

export function historyDir(filePath: string): string {
  return join(dirname(filePath), '.draft', 'history', basename(filePath));
}

const pad = (id: number) => String(id).padStart(4, '0');

/** Entries in order, oldest first. A damaged record is skipped rather than blocking every later undo. */
export async function readHistory(filePath: string): Promise<HistoryEntry[]> {
  const dir = historyDir(filePath);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const entries: HistoryEntry[] = [];
  for (const name of names.filter((n) => /^\d+\.json$/.test(n))) {
    try {
      const parsed = HistoryEntrySchema.safeParse(JSON.parse(await readFile(join(dir, name), 'utf8')));
      if (parsed.success) entries.push(parsed.data);
    } catch {
      // a torn or hand-damaged record: skip it
    }
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
export async function prepareEntry(filePath: string, before: string | Buffer): Promise<PreparedEntry> {
  const dir = historyDir(filePath);
  await mkdir(dir, { recursive: true }).catch((error: unknown) => {
    throw new RunError(`${dir}: cannot create the history folder (${(error as NodeJS.ErrnoException).code})`, {
      hint: 'check that you can write to the folder holding the post',
    });
  });
  let id = (await highestId(dir)) + 1;
  for (;;) {
    const snapshot = `${pad(id)}.snapshot`;
    try {
      await writeFile(join(dir, snapshot), before, { flag: 'wx' });
      const bytes = typeof before === 'string' ? Buffer.byteLength(before) : before.length;
      return { dir, id, before: { sha256: fingerprintOf(before), bytes, snapshot } };
    } catch (error) {
      // Another draft process took this number first.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') id++;
      else throw new RunError(`${dir}: cannot save the previous version (${(error as Error).message})`, { cause: error });
    }
  }
}

/** An entry for a change that replaced nothing worth keeping (an undo that found the bytes already restored). */
export async function claimEmptyEntry(filePath: string, current: string | Buffer): Promise<PreparedEntry> {
  const dir = historyDir(filePath);
  await mkdir(dir, { recursive: true });
  const bytes = typeof current === 'string' ? Buffer.byteLength(current) : current.length;
  return { dir, id: (await highestId(dir)) + 1, before: { sha256: fingerprintOf(current), bytes } };
}

export async function commitEntry(prepared: PreparedEntry, fields: Omit<HistoryEntry, 'id' | 'before'>): Promise<HistoryEntry> {
  const entry: HistoryEntry = { id: prepared.id, before: prepared.before, ...fields };
  await writeFile(join(prepared.dir, `${pad(prepared.id)}.json`), JSON.stringify(entry, null, 2) + '\n', { flag: 'wx' });
  return entry;
}

/** The write did not happen: forget the claimed snapshot. */
export async function discardEntry(prepared: PreparedEntry): Promise<void> {
  if (prepared.before.snapshot) await unlink(join(prepared.dir, prepared.before.snapshot)).catch(() => undefined);
}

/** The exact bytes saved before `entry`, checked against the hash recorded with them. */
export async function readSnapshot(filePath: string, entry: HistoryEntry): Promise<Buffer> {
  const name = entry.before.snapshot;
  if (!name) throw new RunError(`history entry #${entry.id} of ${basename(filePath)} kept no copy (nothing changed then)`);
  let bytes: Buffer;
  try {
    bytes = await readFile(join(historyDir(filePath), name));
  } catch (error) {
    throw new RunError(`the saved version #${entry.id} of ${basename(filePath)} is missing from ${historyDir(filePath)}`, { cause: error });
  }
  if (fingerprintOf(bytes) !== entry.before.sha256) {
    throw new RunError(`the saved version #${entry.id} of ${basename(filePath)} is damaged (its checksum does not match)`, {
      hint: `inspect ${join(historyDir(filePath), name)} by hand`,
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
  const from = historyDir(fromPath);
  const to = historyDir(toPath);
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

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function highestId(dir: string): Promise<number> {
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  return names.reduce((max, name) => {
    const m = /^(\d+)\.(?:json|snapshot)$/.exec(name);
    return m ? Math.max(max, Number(m[1])) : max;
  }, 0);
}
