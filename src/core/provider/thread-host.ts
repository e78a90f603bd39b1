/**
 * A batch's HTTP providers on a thread of their own. Building requests, Node's fetch (undici, web
 * streams) and reading the streamed replies were about half of the main thread's time in a 48-draft
 * batch against a fast server (CPU profile, bench/README.md), so replies waited while drafts were
 * composed and written. On the thread that work runs beside them, on the second core.
 *
 * Each provider stays a ChatProvider on the main thread, so the response cache and the drafting core
 * see the one seam as before; the concurrency limit moves into the thread (provider-thread.ts). The
 * in-process engine (`local`) never moves: it has threads of its own.
 */
import { channel } from 'node:diagnostics_channel';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { THREAD_REQUEST_SENT } from './request-sent.js';
import { InterruptedError, type ProviderError, RunError } from '../errors.js';
import type { createProvider } from './create-provider.js';
import type { ProviderHooks } from './openai-provider.js';
import { openAIProviderInfo } from './provider-info.js';
import { errorFrom, type FromThread, type ThreadOptions, type ToThread } from './thread-messages.js';
import type { ChatProvider, ChatResult, ProviderSettings } from './types.js';

export interface ProviderThread {
  /** Every provider opened after this shares one limit of `concurrency` calls in flight, in the thread. */
  limit(concurrency: number): void;
  /** A provider whose requests the thread sends: the same contract as createProvider's. */
  open(settings: ProviderSettings, hooks: ProviderHooks): ChatProvider;
  /** Stops the thread. Calls still pending fail. */
  close(): Promise<void>;
}

interface Pending {
  onDelta?: (text: string) => void;
  resolve(result: ChatResult): void;
  reject(error: Error): void;
}

/**
 * The built thread entry beside this module (the bundle puts it in dist/provider-thread.cjs, this code
 * in dist/chunks/; tsc's build puts both in dist/core/provider/, as .js). Running from TypeScript
 * sources there is none: the providers then stay on the main thread.
 */
function providerThreadEntry(): string | undefined {
  const ext = import.meta.url.slice(import.meta.url.lastIndexOf('.'));
  if (ext === '.ts') return undefined;
  for (const relative of [`./provider-thread${ext}`, `../provider-thread${ext}`]) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * Started as early as the command can, so the thread loads the SDK while the main thread reads its
 * input; closed unused when the run turns out not to need it.
 */
export function startProviderThread(options: ThreadOptions): ProviderThread | undefined {
  const entry = providerThreadEntry();
  if (!entry) return undefined;
  let worker: Worker;
  try {
    worker = new Worker(entry, { workerData: options });
  } catch {
    // No thread to be had (a resource limit): the providers stay on the main thread, as from sources.
    return undefined;
  }
  const pending = new Map<number, Pending>();
  const hooks = new Map<number, ProviderHooks>();
  let nextId = 0;
  let nextKey = 0;
  let stopped: Error | undefined;
  const send = (message: ToThread) => worker.postMessage(message);
  // The thread keeps the process alive only while a call waits on it.
  worker.unref();

  const settle = (id: number) => {
    const call = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    return call;
  };
  const failAll = (error: Error) => {
    stopped ??= error;
    for (const id of [...pending.keys()]) settle(id)?.reject(stopped);
  };

  const requestSent = channel(THREAD_REQUEST_SENT);
  worker.on('message', (message: FromThread) => {
    switch (message.type) {
      case 'hook':
        callHook(hooks.get(message.key), message.hook);
        break;
      case 'sent':
        if (requestSent.hasSubscribers) requestSent.publish(undefined);
        break;
      case 'result':
        settle(message.id)?.resolve(message.result);
        break;
      case 'failed':
        settle(message.id)?.reject(errorFrom(message.error));
        break;
      case 'delta':
        pending.get(message.id)?.onDelta?.(message.text);
        break;
    }
  });
  worker.on('error', (error) => failAll(new RunError(`the provider thread failed: ${error.message}`, { cause: error })));
  worker.on('exit', (code) => failAll(new RunError(`the provider thread stopped (exit code ${code})`)));

  return {
    limit(concurrency) {
      send({ type: 'limit', concurrency });
    },
    open(settings, providerHooks) {
      const key = nextKey++;
      hooks.set(key, providerHooks);
      send({ type: 'open', key, settings, debug: Boolean(providerHooks.debug) });
      return {
        info: openAIProviderInfo(settings),
        chat(request) {
          if (stopped) return Promise.reject(stopped);
          if (request.signal?.aborted) return Promise.reject(new InterruptedError());
          const id = nextId++;
          // A retry's wait gives the slot up inside the thread, whose limiter lends it (provider-thread.ts).
          const { signal, onDelta, whileWaiting: _, ...rest } = request;
          return new Promise<ChatResult>((resolve, reject) => {
            const onAbort = () => send({ type: 'abort', id });
            signal?.addEventListener('abort', onAbort, { once: true });
            const done = () => signal?.removeEventListener('abort', onAbort);
            pending.set(id, {
              onDelta,
              resolve: (result) => {
                done();
                resolve(result);
              },
              reject: (error) => {
                done();
                reject(error);
              },
            });
            worker.ref();
            send({ type: 'chat', id, key, request: rest, deltas: Boolean(onDelta) });
          });
        },
      };
    },
    async close() {
      stopped ??= new RunError('the provider thread was closed');
      await worker.terminate();
    },
  };
}

function callHook(hooks: ProviderHooks | undefined, call: Extract<FromThread, { type: 'hook' }>['hook']): void {
  switch (call.name) {
    case 'onRetry': {
      const { name: _, error, ...info } = call;
      hooks?.onRetry?.({ ...info, error: errorFrom(error) as ProviderError });
      break;
    }
    case 'onSecretScrubbed':
      hooks?.onSecretScrubbed?.({ purpose: call.purpose });
      break;
    case 'onNoStreamUsage':
      hooks?.onNoStreamUsage?.();
      break;
    case 'debug':
      hooks?.debug?.(call.line);
      break;
  }
}

/**
 * createProvider for the thread: every provider opened through it runs there, and all of them share
 * one limit of `concurrency` calls in flight (they must not be limited again).
 */
export function createOnThread(thread: ProviderThread, concurrency: number): typeof createProvider {
  thread.limit(concurrency);
  return async (settings, hooks = {}) => thread.open(settings, hooks);
}

/**
 * Whether every model of these settings (and of their stages) is reached over HTTP. A batch that also
 * drafts with the in-process engine keeps every provider on the main thread, under one limit.
 */
export function allOverHttp(settings: Iterable<ProviderSettings>): boolean {
  for (const s of settings) if (s.provider === 'local' || !allOverHttp(Object.values(s.stages ?? {}))) return false;
  return true;
}
