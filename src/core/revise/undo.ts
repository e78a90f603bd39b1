import { readFile } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { basename, dirname, join } from 'node:path';
import { InterruptedError, RunError, UsageError } from '../errors.js';
import { exists } from '../fs/exists.js';
import {
  claimEmptyEntry,
  commitEntry,
  discardEntry,
  historyDir,
  lockPost,
  moveHistory,
  prepareEntry,
  readHistory,
  readSnapshot,
  readStateSnapshot,
  undoStack,
  type HistoryEntry,
} from './history-store.js';
import { assertWritable } from './apply-revision.js';
import { fingerprintOf } from './post.js';
import { sidecarPath, writePostAndSidecar } from '../state-store.js';

export interface UndoPlan {
  path: string;
  label: string;
  current: Buffer;
  /** The entry taken back (undo) or brought back (--to). */
  target: HistoryEntry;
  action: 'undo' | 'restore';
  restored: Buffer;
  /** Where the restored bytes go: the name before a rename that is being undone. */
  restorePath: string;
  /** The file no longer holds what draft wrote: the editor changed it since. */
  editedSince: boolean;
  /** The file already holds these bytes. */
  noop: boolean;
  /** The state sidecar to restore with the post: its bytes, null to remove it, undefined to leave it (state-store.ts). */
  restoredState?: Buffer | null;
  /** The sidecar's bytes now (absent: none). */
  currentState?: Buffer;
}

/**
 * Works out what `draft undo` would do. Without `to`, the newest revision still in effect is taken
 * back (so undo repeats, walking back one version each time); with `to`, the version saved by that
 * entry is brought back, which is also how an undo itself is undone.
 */
export async function planUndo(path: string, label: string, options: { to?: number } = {}): Promise<UndoPlan> {
  const current = await readCurrent(path, label);
  const entries = await readHistory(path);
  if (entries.length === 0) {
    throw new UsageError(`${label}: no history: draft has not changed this file`, {
      hint: "history is kept in .draft/history/ at the project root, from the post's first `draft revise`",
      code: 'no-history',
    });
  }
  let target: HistoryEntry | undefined;
  if (options.to !== undefined) {
    target = entries.find((e) => e.id === options.to);
    if (!target?.before.snapshot) {
      const ids = entries
        .filter((e) => e.before.snapshot)
        .map((e) => `#${e.id}`)
        .join(', ');
      throw new UsageError(`${label}: no saved version #${options.to}`, { hint: `saved versions: ${ids}; see \`draft history ${label}\`` });
    }
  } else {
    target = undoStack(entries).at(-1);
    if (!target) {
      throw new UsageError(`${label}: nothing left to undo (every revision in its history has been undone)`, {
        hint: `see \`draft history ${label}\`; \`draft undo ${label} --to N\` brings back any saved version`,
        code: 'nothing-to-undo',
      });
    }
  }
  const restored = await readSnapshot(path, target);
  if (!isUtf8(restored)) {
    throw new UsageError(`${label}: the saved version #${target.id} is not UTF-8 text, so draft will not write it back`, {
      hint: `copy it back by hand from ${await historyDir(path)}/${target.before.snapshot}`,
    });
  }
  const restoredState = await readStateSnapshot(path, target).then((bytes) => (target.before.state === undefined ? undefined : bytes));
  const currentState = await readFile(await sidecarPath(path)).catch(() => undefined);
  const action = options.to === undefined ? 'undo' : 'restore';
  // Undoing a rename puts the old bytes back under the old name.
  const restorePath = action === 'undo' && target.renamedFrom ? join(dirname(path), target.renamedFrom) : path;
  if (restorePath !== path && (await exists(restorePath))) {
    throw new UsageError(`${label}: cannot undo the rename: ${restorePath} exists`, { hint: 'move that file away first' });
  }
  return {
    path,
    label,
    current,
    target,
    action,
    restored,
    restorePath,
    editedSince: fingerprintOf(current) !== target.after.sha256,
    noop: restorePath === path && current.equals(restored) && sameState(restoredState, currentState),
    ...(restoredState !== undefined ? { restoredState } : {}),
    ...(currentState ? { currentState } : {}),
  };
}

function sameState(restored: Buffer | null | undefined, current: Buffer | undefined): boolean {
  if (restored === undefined) return true;
  return restored === null ? current === undefined : (current?.equals(restored) ?? false);
}

/**
 * Restores the bytes, recording the undo (with the bytes it replaced) so it can be undone too. Holds
 * the post's lock, and writes nothing if the file changed since the plan was made (a revision that
 * finished meanwhile would otherwise be lost without a trace).
 */
export async function applyUndo(plan: UndoPlan, options: { signal?: AbortSignal; now?: () => Date } = {}): Promise<HistoryEntry> {
  if (options.signal?.aborted) throw new InterruptedError();
  const release = await lockPost(plan.path, { label: plan.label, ...(options.signal ? { signal: options.signal } : {}) });
  try {
    await assertWritable(plan.path, plan.label);
    const now = await readCurrent(plan.path, plan.label);
    if (!now.equals(plan.current)) {
      throw new RunError(`${plan.label} changed while the undo was being prepared, so nothing was written`, {
        hint: `see \`draft history ${plan.label}\`, then run draft undo again`,
      });
    }
    return await writeUndo(plan, options);
  } finally {
    await release();
  }
}

async function writeUndo(plan: UndoPlan, options: { signal?: AbortSignal; now?: () => Date }): Promise<HistoryEntry> {
  if (options.signal?.aborted) throw new InterruptedError();
  const at = (options.now ?? (() => new Date()))().toISOString();
  const fields = {
    at,
    action: plan.action,
    file: basename(plan.restorePath),
    summary: [plan.action === 'undo' ? `undid #${plan.target.id}` : `restored the version saved by #${plan.target.id}`],
    after: {
      sha256: fingerprintOf(plan.restored),
      bytes: plan.restored.length,
      ...(plan.restoredState !== undefined ? { state: plan.restoredState ? { sha256: fingerprintOf(plan.restoredState) } : null } : {}),
    },
    ...(plan.action === 'undo' ? { undoes: plan.target.id } : { restores: plan.target.id }),
  };
  // Never a version whose bytes equal the file's: record that the step was taken, write nothing.
  if (plan.noop) return commitEntry(await claimEmptyEntry(plan.path, plan.current), { ...fields, noop: true });

  const involved = plan.restoredState !== undefined;
  const prepared = await prepareEntry(plan.path, plan.current, involved ? (plan.currentState ?? null) : undefined);
  try {
    if (options.signal?.aborted) throw new InterruptedError();
    // The post and its state sidecar go back together: the sidecar first (state-store.ts).
    await writePostAndSidecar({
      path: plan.path,
      ...(plan.restorePath !== plan.path ? { moveTo: plan.restorePath, exact: true } : {}),
      text: plan.restored.toString('utf8'),
      ...(involved ? { sidecar: plan.restoredState ? plan.restoredState.toString('utf8') : null } : {}),
      ...(plan.currentState ? { sidecarBefore: plan.currentState } : {}),
    });
  } catch (error) {
    await discardEntry(prepared);
    throw error;
  }
  if (plan.restorePath !== plan.path) {
    await moveHistory(plan.path, plan.restorePath);
    return commitEntry(
      { ...prepared, dir: await historyDir(plan.restorePath) },
      {
        ...fields,
        renamedFrom: basename(plan.path),
      },
    );
  }
  return commitEntry(prepared, fields);
}

async function readCurrent(path: string, label: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new UsageError(`${label}: is a directory, not a file`, { hint: 'Give the path of a Markdown file.' });
    if (code === 'ENOENT') throw new UsageError(`${label}: no such file`, { hint: 'Check the path and spelling.' });
    throw new UsageError(`${label}: cannot read the file (${code})`, { hint: 'Check the path and its permissions.' });
  }
}
