import pLimit from 'p-limit';
import type { ChatProvider } from '../provider/types.js';

/**
 * One bound on model calls in flight across every model a batch uses. limitConcurrency bounds a single
 * provider; a manifest that names several models has one provider per model, and `--concurrency 8`
 * must still mean eight calls in flight in total, not eight per model.
 */
export function shareOneLimit(concurrency: number): (provider: ChatProvider) => ChatProvider {
  const limit = pLimit(Math.max(1, concurrency));
  return (provider) => ({
    info: provider.info,
    chat: (request) => limit(() => provider.chat(request)),
    close: () => provider.close?.() ?? Promise.resolve(),
  });
}
