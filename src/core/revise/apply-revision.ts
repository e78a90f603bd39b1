import { readFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InterruptedError, RunError } from '../errors.js';
import { replaceFile, writeNewFile } from '../fs/atomic-write.js';
import { commitEntry, discardEntry, exists, historyDir, moveHistory, prepareEntry, type HistoryEntry } from './history-store.js';
import { fingerprintOf, type LoadedPost } from './post.js';
import type { RevisionProposal } from './revise-post.js';

export interface AppliedRevision {
  path: string;
  entry: HistoryEntry;
}

/**
 * Writes a revision: checks that nobody changed the file while the model worked, keeps the previous
 * bytes in history, then replaces the file atomically (or writes it under its new name and removes
 * the old one). A file changed on disk is never overwritten: the proposal is saved aside instead.
 */
export async function applyRevision(proposal: RevisionProposal, options: { signal?: AbortSignal; now?: () => Date } = {}): Promise<AppliedRevision> {
  const { post } = proposal;
  if (options.signal?.aborted) throw new InterruptedError();
  await assertUnchangedOnDisk(post, proposal.text);

  const prepared = await prepareEntry(post.path, post.text);
  let path = post.path;
  try {
    if (options.signal?.aborted) throw new InterruptedError();
    if (proposal.renameTo) {
      path = await writeNewFile(dirname(post.path), proposal.renameTo, proposal.text);
      await unlink(post.path);
    } else {
      await replaceFile(post.path, proposal.text);
    }
  } catch (error) {
    await discardEntry(prepared);
    throw error;
  }
  if (path !== post.path) await moveHistory(post.path, path).catch(() => undefined);
  const entry = await commitEntry(
    { ...prepared, dir: (await exists(historyDir(path))) ? historyDir(path) : prepared.dir },
    {
      at: (options.now ?? (() => new Date()))().toISOString(),
      action: 'revise',
      file: basename(path),
      summary: proposal.summary,
      changes: { ...proposal.record },
      after: { sha256: fingerprintOf(proposal.text), bytes: Buffer.byteLength(proposal.text) },
      ...(path !== post.path ? { renamedFrom: basename(post.path) } : {}),
    },
  );
  return { path, entry };
}

/** Re-reads the file just before writing; if an editor saved it meanwhile, keeps the proposal aside and stops. */
export async function assertUnchangedOnDisk(post: LoadedPost, proposed: string): Promise<void> {
  let current: Buffer | undefined;
  try {
    current = await readFile(post.path);
  } catch {
    current = undefined;
  }
  if (current && fingerprintOf(current) === post.fingerprint) return;
  const saved = await saveProposal(post.path, proposed);
  throw new RunError(
    `${post.label} ${current ? 'changed on disk' : 'was moved or deleted'} while the model was working, so it was not overwritten; the proposed revision is in ${saved}`,
    { hint: `compare the two and merge by hand, or run draft revise again on the new text` },
  );
}

/** `<folder>/.draft/proposed/<name>`, numbered if a previous proposal is still there. */
export async function saveProposal(filePath: string, text: string): Promise<string> {
  return writeNewFile(join(dirname(filePath), '.draft', 'proposed'), basename(filePath), text);
}
