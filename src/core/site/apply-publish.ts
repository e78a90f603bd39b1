import { basename } from 'node:path';
import { InterruptedError } from '../errors.js';
import { assertUnchangedOnDisk, assertWritable, stateWrite } from '../revise/apply-revision.js';
import { writePostAndSidecar } from '../state-store.js';
import { exists } from '../fs/exists.js';
import { commitEntry, discardEntry, historyDir, lockPost, moveHistory, prepareEntry, type HistoryEntry } from '../revise/history-store.js';
import { fingerprintOf, type LoadedPost } from '../revise/post.js';
import type { PublishPlan } from './publish-post.js';

/**
 * Writes a publication as a revision is written: under the post's lock, refused if the file changed
 * meanwhile, the previous bytes kept in history (so `draft undo` takes it back), atomically.
 */
export async function applyPublish(
  post: LoadedPost,
  plan: PublishPlan,
  options: { signal?: AbortSignal; now: Date },
): Promise<{ path: string; entry: HistoryEntry }> {
  const release = await lockPost(post.path, { label: post.label, signal: options.signal });
  try {
    await assertWritable(post.path, post.label);
    await assertUnchangedOnDisk(post, plan.text);
    const state = stateWrite(post, plan.sidecarState);
    const prepared = await prepareEntry(post.path, post.text, state.before);
    let path = post.path;
    try {
      if (options.signal?.aborted) throw new InterruptedError();
      // The sidecar first, then the post; a Jekyll move takes the sidecar along (state-store.ts).
      path = await writePostAndSidecar({
        path: post.path,
        ...(plan.path !== post.path ? { moveTo: plan.path } : {}),
        text: plan.text,
        ...state.write(plan.text, prepared.id),
      });
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
        after: { sha256: fingerprintOf(plan.text), bytes: Buffer.byteLength(plan.text), ...state.after },
        ...(path !== post.path ? { renamedFrom: basename(post.path) } : {}),
      },
    );
    return { path, entry };
  } finally {
    await release();
  }
}
