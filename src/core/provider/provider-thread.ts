/**
 * The provider thread's entry (see thread-host.ts): the HTTP providers of a batch run here, so the
 * SDK's request building, the HTTP transport and the SSE parsing of every reply stay off the main thread,
 * which composes and writes the drafts meanwhile.
 */
import { subscribe } from 'node:diagnostics_channel';
import { parentPort, workerData } from 'node:worker_threads';
import { REQUEST_SENT } from './request-sent.js';
import { sharedLimit } from './limited.js';
import type { ProviderHooks } from './openai-provider.js';
import { errorData, type FromThread, type HookCall, type ThreadOptions, type ToThread } from './thread-messages.js';
import type { ChatProvider } from './types.js';

const port = parentPort!;
const options = workerData as ThreadOptions;
if (options.debug) process.setSourceMapsEnabled(true);
// Loaded at once, while the main thread still reads the manifest and templates: the provider, with its
// transport, and the SDK it imports on first use.
const sdkProvider = Promise.all([import('./openai-provider.js'), import('openai')]).then(([provider]) => provider);
// The limit lives here, not on the main thread: a finished reply hands its slot to the next request
// at once, without a round trip through a main thread busy composing drafts.
let limited: (provider: ChatProvider) => ChatProvider = (provider) => provider;
const providers = new Map<number, Promise<ChatProvider>>();
const calls = new Map<number, AbortController>();

const post = (message: FromThread) => port.postMessage(message);
// The main thread loads what writes a draft once its first request is on the wire (once-request-sent.ts).
subscribe(REQUEST_SENT, () => post({ type: 'sent' }));

function hooksFor(key: number, debug: boolean): ProviderHooks {
  const hook = (call: HookCall) => post({ type: 'hook', key, hook: call });
  return {
    onRetry: ({ error, ...info }) => hook({ name: 'onRetry', ...info, error: errorData(error) }),
    onSecretScrubbed: ({ purpose }) => hook({ name: 'onSecretScrubbed', purpose }),
    onNoStreamUsage: () => hook({ name: 'onNoStreamUsage' }),
    ...(debug ? { debug: (line: string) => hook({ name: 'debug', line }) } : {}),
  };
}

async function chat(message: Extract<ToThread, { type: 'chat' }>): Promise<void> {
  const { id } = message;
  const controller = new AbortController();
  calls.set(id, controller);
  try {
    const provider = await providers.get(message.key)!;
    const result = await provider.chat({
      ...message.request,
      signal: controller.signal,
      ...(message.deltas ? { onDelta: (text: string) => post({ type: 'delta', id, text }) } : {}),
    });
    post({ type: 'result', id, result });
  } catch (error) {
    post({ type: 'failed', id, error: errorData(error) });
  } finally {
    calls.delete(id);
  }
}

port.on('message', (message: ToThread) => {
  switch (message.type) {
    case 'limit':
      limited = sharedLimit(message.concurrency);
      break;
    case 'open': {
      const { key, settings, debug } = message;
      const provider = sdkProvider.then(async ({ createOpenAIProvider }) =>
        limited(await createOpenAIProvider(settings, hooksFor(key, debug))),
      );
      // A provider that fails to start fails its calls; this keeps the rejection from being unhandled meanwhile.
      provider.catch(() => {});
      providers.set(key, provider);
      break;
    }
    case 'chat':
      void chat(message);
      break;
    case 'abort':
      calls.get(message.id)?.abort();
      break;
  }
});
