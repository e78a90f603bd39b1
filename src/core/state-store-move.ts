import { renderSource, setFrontMatterKeys } from './document/front-matter.js';
import { STATE_KEY, storedStateValue } from './document/machine-state.js';
import { UsageError } from './errors.js';
import { assertUnchangedOnDisk, assertWritable, writeWithHistory } from './revise/apply-revision.js';
import { lockPost, type HistoryEntry } from './revise/history-store.js';
import type { LoadedPost } from './revise/post.js';
import type { StateMode } from './state-store.js';

export interface StateMovePlan {
  post: LoadedPost;
  to: StateMode;
  /** The post's new text (the state key removed, or written back). */
  text: string;
  /** The sidecar's state; null removes the sidecar. */
  sidecarState: unknown;
}

/**
 * `draft state move`: the same state, byte for byte in its key order, in the other place. Undefined
 * when it is there already.
 */
export function planStateMove(post: LoadedPost, to: StateMode): StateMovePlan | undefined {
  if (!post.state || !post.place?.where) {
    throw new UsageError(`${post.label}: draft has no state for this post (it has never revised it)`, {
      hint: 'a post gets its state from `draft new` or its first `draft revise`',
    });
  }
  if (post.place.where === to) return undefined;
  const stored = storedStateValue(post.src.data, post.place.sidecarState);
  const raw = setFrontMatterKeys(post.src, { [STATE_KEY]: to === 'sidecar' ? undefined : stored }, post.label);
  return { post, to, text: renderSource(post.src, raw, post.src.body), sidecarState: to === 'sidecar' ? stored : null };
}

/** Written as a revision is: under the post's lock, refused if it changed meanwhile, kept in history for undo. */
export async function applyStateMove(plan: StateMovePlan, options: { signal?: AbortSignal; now: Date }): Promise<HistoryEntry> {
  const { post } = plan;
  const release = await lockPost(post.path, { label: post.label, signal: options.signal });
  try {
    await assertWritable(post.path, post.label);
    await assertUnchangedOnDisk(post, plan.text);
    const written = await writeWithHistory(post, {
      text: plan.text,
      sidecarState: plan.sidecarState,
      summary: [`state moved to ${plan.to === 'sidecar' ? 'a sidecar' : 'the front matter'}`],
      changes: { state: plan.to },
      now: options.now,
      signal: options.signal,
    });
    return written.entry;
  } finally {
    await release();
  }
}
