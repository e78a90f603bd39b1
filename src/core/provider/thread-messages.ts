/**
 * What crosses between the main thread and the provider thread (provider-thread.ts). Structured
 * cloning keeps an Error's message and stack but drops its class and fields, and a batch report needs
 * both (`code`, `hint`, `requestId`, the exit code): errors cross as plain facts and are rebuilt.
 */
import {
  DraftError,
  type DraftErrorOptions,
  InterruptedError,
  ProviderError,
  type ProviderErrorKind,
  RunError,
  UsageError,
} from '../errors.js';
import type { ChatRequest, ChatResult, ProviderSettings } from './types.js';

export interface ThreadOptions {
  debug: boolean;
}

/** The request without what cannot be cloned: the signal, the delta callback and the limiter's hook. */
export type ThreadRequest = Omit<ChatRequest, 'signal' | 'onDelta' | 'whileWaiting'>;

export type ToThread =
  /** Calls in flight, shared by every provider on the thread (the batch's --concurrency); sent before any `open`. */
  | { type: 'limit'; concurrency: number }
  | { type: 'open'; key: number; settings: ProviderSettings; debug: boolean }
  | { type: 'chat'; id: number; key: number; request: ThreadRequest; deltas: boolean }
  | { type: 'abort'; id: number };

export type FromThread =
  | { type: 'result'; id: number; result: ChatResult }
  | { type: 'failed'; id: number; error: ErrorData }
  | { type: 'delta'; id: number; text: string }
  /** A request's body is on the wire (http-fetch.ts's REQUEST_SENT, seen in the thread). */
  | { type: 'sent' }
  | { type: 'hook'; key: number; hook: HookCall };

export type HookCall =
  | { name: 'onRetry'; purpose: string; attempt: number; maxRetries: number; delayMs: number; error: ErrorData }
  | { name: 'onSecretScrubbed'; purpose: string }
  | { name: 'onNoStreamUsage' }
  | { name: 'debug'; line: string };

export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
  hint?: string;
  code?: string;
  provider?: { kind: ProviderErrorKind; retryable: boolean; status?: number; retryAfterMs?: number; requestId?: string };
}

export function errorData(error: unknown): ErrorData {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const data: ErrorData = { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  if (error instanceof DraftError) Object.assign(data, { code: error.code, ...(error.hint ? { hint: error.hint } : {}) });
  if (error instanceof ProviderError) {
    const { kind, retryable, status, retryAfterMs, requestId } = error;
    data.provider = { kind, retryable, status, retryAfterMs, requestId };
  }
  return data;
}

// By each class's own name, which is what `error.name` holds (a bundler may have renamed a class).
const CLASSES = new Map<string, new (message: string, options: DraftErrorOptions) => DraftError>(
  [InterruptedError, RunError, UsageError, DraftError].map((c) => [c.name, c]),
);

/** The error again, of its class where it is one of ours; anything else is a plain Error of the same name. */
export function errorFrom(data: ErrorData): Error {
  const options: DraftErrorOptions = { ...(data.hint ? { hint: data.hint } : {}), ...(data.code ? { code: data.code } : {}) };
  let error: Error;
  if (data.provider) error = new ProviderError(data.provider.kind, data.message, { ...options, ...data.provider });
  else if (CLASSES.has(data.name)) error = new (CLASSES.get(data.name)!)(data.message, options);
  else {
    error = new Error(data.message);
    error.name = data.name;
  }
  // The thread's own stack, so --debug still shows where the failure happened.
  if (data.stack) error.stack = data.stack;
  return error;
}
