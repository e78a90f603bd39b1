import pLimit from 'p-limit';
import type { ChatProvider } from './types.js';

/**
 * One bound on model calls in flight, shared by everything that uses the returned provider:
 * the sections of one draft, or every draft of a batch.
 */
export function limitConcurrency(provider: ChatProvider, concurrency: number): ChatProvider {
  const limit = pLimit(Math.max(1, concurrency));
  return {
    info: provider.info,
    chat: (request) => limit(() => provider.chat(request)),
    close: () => provider.close?.() ?? Promise.resolve(),
  };
}
