import pLimit from 'p-limit';
import type { ChatProvider } from './types.js';

/**
 * One bound on model calls in flight, shared by every provider the returned function wraps:
 * the sections of one draft, or every draft of a batch, even when a manifest names several
 * models (one provider each) — `--concurrency 8` means eight calls in total, not eight per model.
 */
export function sharedLimit(concurrency: number): (provider: ChatProvider) => ChatProvider {
  const limit = pLimit(Math.max(1, concurrency));
  return (provider) => ({
    info: provider.info,
    chat: (request) => limit(() => provider.chat(request)),
    close: () => provider.close?.() ?? Promise.resolve(),
  });
}

export function limitConcurrency(provider: ChatProvider, concurrency: number): ChatProvider {
  return sharedLimit(concurrency)(provider);
}
