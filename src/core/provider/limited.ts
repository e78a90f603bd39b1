import { InterruptedError } from '../errors.js';
import type { ChatProvider, ChatRequest } from './types.js';

/**
 * One bound on model calls in flight, shared by every provider the returned function wraps:
 * the sections of one draft, or every draft of a batch, even when a manifest names several
 * models (one provider each) — `--concurrency 8` means eight calls in total, not eight per model.
 *
 * A call gives its slot up while it waits out a retry (see ChatRequest.whileWaiting): four calls
 * sitting out a 30 s retry-after must not stall every other draft of a batch. p-limit cannot give
 * a slot back mid-task, hence this small semaphore.
 */
export function sharedLimit(concurrency: number): (provider: ChatProvider) => ChatProvider {
  const slots = new Semaphore(Math.max(1, concurrency));
  return (provider) => ({
    info: provider.info,
    chat: async (request) => {
      await slots.acquire(request.signal);
      let held = true;
      const outer = request.whileWaiting;
      const whileWaiting = async <T>(wait: () => Promise<T>): Promise<T> => {
        slots.release();
        held = false;
        try {
          return outer ? await outer(wait) : await wait();
        } finally {
          await slots.acquire(request.signal);
          held = true;
        }
      };
      try {
        return await provider.chat({ ...request, whileWaiting } satisfies ChatRequest);
      } finally {
        if (held) slots.release();
      }
    },
    close: () => provider.close?.() ?? Promise.resolve(),
  });
}

export function limitConcurrency(provider: ChatProvider, concurrency: number): ChatProvider {
  return sharedLimit(concurrency)(provider);
}

/** FIFO counting semaphore whose waits end early when the caller's signal aborts. */
class Semaphore {
  private active = 0;
  private readonly waiting: { grant: () => void }[] = [];

  constructor(private readonly size: number) {}

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new InterruptedError());
    if (this.active < this.size) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.active++;
          resolve();
        },
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(entry);
        if (at !== -1) this.waiting.splice(at, 1);
        reject(new InterruptedError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  release(): void {
    this.active--;
    this.waiting.shift()?.grant();
  }
}
