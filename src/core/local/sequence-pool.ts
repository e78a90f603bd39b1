import { InterruptedError, ProviderError } from '../errors.js';

/**
 * A fixed set of slots (context sequences) handed out one request at a time; requests beyond the
 * set wait in arrival order. Aborting a waiting request takes it out of the queue at once.
 */
export class SlotPool<T> {
  private readonly free: T[];
  private readonly waiters: { resolve(slot: T): void; reject(error: Error): void; cleanup(): void }[] = [];
  private closed = false;

  constructor(slots: T[]) {
    this.free = [...slots];
  }

  acquire(signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(closedError());
    if (signal?.aborted) return Promise.reject(new InterruptedError());
    const slot = this.free.shift();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new InterruptedError());
      };
      const waiter = {
        resolve,
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(slot: T): void {
    const next = this.waiters.shift();
    if (next) {
      next.cleanup();
      next.resolve(slot);
    } else {
      this.free.push(slot);
    }
  }

  /** Rejects everyone still waiting; slots in use come back through release() as usual. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      waiter.cleanup();
      waiter.reject(closedError());
    }
  }
}

function closedError(): ProviderError {
  return new ProviderError('server', 'the local model was closed before this request could run');
}
