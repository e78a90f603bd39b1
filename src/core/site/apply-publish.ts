import { assertUnchangedOnDisk, assertWritable, writeWithHistory } from '../revise/apply-revision.js';
import { lockPost, type HistoryEntry } from '../revise/history-store.js';
import type { LoadedPost } from '../revise/post.js';
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
    return await writeWithHistory(post, {
      text: plan.text,
      sidecarState: plan.sidecarState,
      moveTo: plan.path,
      summary: ['published', ...plan.summary],
      changes: { published: true },
      now: options.now,
      signal: options.signal,
    });
  } finally {
    await release();
  }
}
