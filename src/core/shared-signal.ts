import { setMaxListeners } from 'node:events';

/**
 * Marks a signal that every request in flight listens on, each removing its listener when it ends.
 * Node warns of a leak past ten listeners; a batch at --concurrency 16, a draft of 12 sections in
 * parallel, or every draft held for the Batch API passes that without leaking anything.
 */
export function sharedSignal<T extends AbortSignal>(signal: T): T {
  setMaxListeners(0, signal);
  return signal;
}
