import { access, constants, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DraftError, InterruptedError, RunError, UsageError } from '../errors.js';
import { exists } from '../fs/exists.js';
import {
  commitEntry,
  discardEntry,
  historyDir,
  historyPlace,
  lockPost,
  moveHistory,
  prepareEntry,
  type HistoryEntry,
} from './history-store.js';
import { saveProposalFor } from './proposals.js';
import { fingerprintOf, type LoadedPost } from './post.js';
import { sidecarText, writePostAndSidecar } from '../state-store.js';
import type { RevisionProposal } from './revise-post.js';

export interface AppliedRevision {
  path: string;
  entry: HistoryEntry;
}

/**
 * Writes a revision: checks that nobody changed the file while the model worked, keeps the previous
 * bytes in history, then replaces the file atomically (or writes it under its new name and removes
 * the old one). A file changed on disk is never overwritten: the proposal is saved aside instead.
 * The whole check-and-write holds the post's lock, so two runs on one post take turns: the second
 * sees the first's result and is refused, never silently overwriting it.
 */
export async function applyRevision(
  proposal: RevisionProposal,
  options: { signal?: AbortSignal; now?: () => Date; lockTimeoutMs?: number } = {},
): Promise<AppliedRevision> {
  const { post } = proposal;
  if (options.signal?.aborted) throw new InterruptedError();
  const lockOptions = { label: post.label, signal: options.signal, timeoutMs: options.lockTimeoutMs };
  const release = await lockPost(post.path, lockOptions).catch(async (error: unknown) => {
    // The model's work is paid for: a run that cannot get its turn still keeps it.
    if (error instanceof InterruptedError || !(error instanceof DraftError)) throw error;
    const saved = await saveProposal(post.path, proposal.text).catch(() => undefined);
    throw saved ? new RunError(`${error.message}; the proposed revision is in ${saved}`, { hint: error.hint, cause: error }) : error;
  });
  try {
    await assertWritable(post.path, post.label);
    await assertUnchangedOnDisk(post, proposal.text);
    return await writeWithHistory(post, {
      text: proposal.text,
      sidecarState: proposal.sidecarState,
      ...(proposal.renameTo ? { moveTo: join(dirname(post.path), proposal.renameTo) } : {}),
      summary: proposal.summary,
      changes: { ...proposal.record },
      now: (options.now ?? (() => new Date()))(),
      signal: options.signal,
    });
  } finally {
    await release();
  }
}

/** One change to a post as history records it: its new text, and what the history entry says of it. */
export interface PostChange {
  text: string;
  /** The sidecar's new state, when the post keeps its state in one (undefined: as it was). */
  sidecarState?: unknown;
  /** A new path for the post (a rename, Jekyll's move to `_posts`). */
  moveTo?: string;
  summary: string[];
  changes: Record<string, unknown>;
  now: Date;
  signal?: AbortSignal;
}

/**
 * The write every change to a post shares (revise, publish, state move): the previous bytes into
 * history, the sidecar then the post atomically (moved if asked, history along with it), then the
 * entry committed. Called under the post's lock, after the file was found unchanged.
 */
export async function writeWithHistory(post: LoadedPost, change: PostChange): Promise<AppliedRevision> {
  const state = stateWrite(post, change.sidecarState);
  const prepared = await prepareEntry(post.path, post.text, state.before);
  let path = post.path;
  try {
    if (change.signal?.aborted) throw new InterruptedError();
    path = await writePostAndSidecar({
      path: post.path,
      ...(change.moveTo && change.moveTo !== post.path ? { moveTo: change.moveTo } : {}),
      text: change.text,
      ...state.write(change.text, prepared.id),
    });
  } catch (error) {
    await discardEntry(prepared);
    throw error;
  }
  if (path !== post.path) await moveHistory(post.path, path).catch(() => undefined);
  const entry = await commitEntry(
    { ...prepared, dir: (await exists(await historyDir(path))) ? await historyDir(path) : prepared.dir },
    {
      at: change.now.toISOString(),
      action: 'revise',
      file: basename(path),
      summary: change.summary,
      changes: change.changes,
      after: { sha256: fingerprintOf(change.text), bytes: Buffer.byteLength(change.text), ...state.after },
      ...(path !== post.path ? { renamedFrom: basename(post.path) } : {}),
    },
  );
  return { path, entry };
}

/**
 * What a change does to the post's state sidecar (see state-store.ts): the bytes history keeps
 * (undefined: the post's state is not in a sidecar before or after), and the sidecar to write.
 */
export function stateWrite(post: LoadedPost, sidecarState: unknown) {
  // null: the state leaves the sidecar (moved into the front matter), which is removed.
  const involved = sidecarState !== undefined || post.place?.where === 'sidecar';
  const before = involved ? (post.place?.sidecarBytes ?? null) : undefined;
  let written: string | null | undefined;
  return {
    before,
    write(text: string, historyId: number): { sidecar?: string | null; sidecarBefore?: Buffer } {
      if (sidecarState === undefined) return {};
      written = sidecarState === null ? null : sidecarText(sidecarState, text, { replaces: post.text, history: historyId });
      return { sidecar: written, ...(post.place?.sidecarBytes ? { sidecarBefore: post.place.sidecarBytes } : {}) };
    },
    get after(): { state?: { sha256: string } | null } {
      return written === undefined ? {} : { state: written === null ? null : { sha256: fingerprintOf(written) } };
    },
  };
}

/** Re-reads the file just before writing; if an editor saved it meanwhile, keeps the proposal aside and stops. */
export async function assertUnchangedOnDisk(post: LoadedPost, proposed: string): Promise<void> {
  let current: Buffer | undefined;
  try {
    current = await readFile(post.path);
  } catch {
    current = undefined;
  }
  if (current && fingerprintOf(current) === post.fingerprint && (await sidecarUnchanged(post))) return;
  const saved = await saveProposal(post.path, proposed);
  throw new RunError(
    `${post.label} ${current ? 'changed on disk' : 'was moved or deleted'} while the model was working, so it was not overwritten; the proposed revision is in ${saved}`,
    { hint: `compare the two and merge by hand, or run draft revise again on the new text`, code: 'changed-on-disk' },
  );
}

/** A run that changed the post changed its sidecar too; this catches one that changed only the sidecar. */
async function sidecarUnchanged(post: LoadedPost): Promise<boolean> {
  if (!post.place) return true;
  const now = await readFile(post.place.sidecar).catch(() => undefined);
  return now === undefined
    ? post.place.sidecarBytes === undefined
    : post.place.sidecarBytes !== undefined && now.equals(post.place.sidecarBytes);
}

/** At the project root, in `.draft/proposed/` (see saveProposalFor). */
export async function saveProposal(filePath: string, text: string): Promise<string> {
  return saveProposalFor(filePath, text);
}

/**
 * Everything that would stop a revision from being written, checked before the model is paid for:
 * the file is writable, and its history can be found (old-layout history is moved now, or refused).
 */
export async function assertRevisable(path: string, label: string): Promise<void> {
  await assertWritable(path, label);
  await historyPlace(path);
}

/**
 * A post with no write permission is refused, not replaced: the rename that makes writes atomic
 * would otherwise swap a read-only file for a new one without a word. The mode bits are checked as
 * well as access(), because root passes access() for any file.
 */
export async function assertWritable(path: string, label: string): Promise<void> {
  let mode: number;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch {
    return; // a missing file is reported by whoever reads it
  }
  const writable =
    (mode & 0o222) !== 0 &&
    (await access(path, constants.W_OK).then(
      () => true,
      () => false,
    ));
  if (writable) return;
  throw new UsageError(`${label}: the file is read-only (mode ${mode.toString(8).padStart(4, '0')}), so draft will not change it`, {
    hint: `if you do want it changed, make it writable first (chmod u+w ${label}) and run the command again`,
    code: 'read-only',
  });
}
