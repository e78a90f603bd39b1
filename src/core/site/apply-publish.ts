import { unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { InterruptedError } from '../errors.js';
import { replaceFile, writeNewFile } from '../fs/atomic-write.js';
import { assertUnchangedOnDisk, assertWritable } from '../revise/apply-revision.js';
import { exists } from '../fs/exists.js';
import { commitEntry, discardEntry, historyDir, lockPost, moveHistory, prepareEntry, type HistoryEntry } from '../revise/history-store.js';
import { fingerprintOf, type LoadedPost } from '../revise/post.js';
import type { PublishPlan } from './publish-post.js';

/**
 * Writes a publication as a revision is written: under the post's lock, refused if the file changed
 * meanwhile, the previous bytes kept in history (so `draft undo` takes it back), atomically.
 */
export async function applyPublish(post: LoadedPost, plan: PublishPlan, options: { signal?: AbortSignal; now: Date }): Promise<{ path: string; entry: HistoryEntry }> {
  const release = await lockPost(post.path, { label: post.label, signal: options.signal });
  try {
    await assertWritable(post.path, post.label);
    await assertUnchangedOnDisk(post, plan.text);
    const prepared = await prepareEntry(post.path, post.text);
    let path = post.path;
    try {
      if (options.signal?.aborted) throw new InterruptedError();
      if (plan.path !== post.path) {
        path = await writeNewFile(dirname(plan.path), basename(plan.path), plan.text);
        await unlink(post.path);
      } else {
        await replaceFile(post.path, plan.text);
      }
    } catch (error) {
      await discardEntry(prepared);
      throw error;
    }
    if (path !== post.path) await moveHistory(post.path, path).catch(() => undefined);
    const entry = await commitEntry(
      { ...prepared, dir: (await exists(await historyDir(path))) ? await historyDir(path) : prepared.dir },
      {
        at: options.now.toISOString(),
        action: 'revise',
        file: basename(path),
        summary: ['published', ...plan.summary],
        changes: { published: true },
        after: { sha256: fingerprintOf(plan.text), bytes: Buffer.byteLength(plan.text) },
        ...(path !== post.path ? { renamedFrom: basename(post.path) } : {}),
      },
    );
    return { path, entry };
  } finally {
    await release();
  }
}
