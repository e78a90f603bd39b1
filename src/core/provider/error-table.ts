/**
 * One table decides what every provider failure means to the user: its kind, whether retrying can
 * help, the message and the hint. Keeping it declarative (as aider does) makes the policy reviewable
 * in one place, and keeps it independent of the SDK's class hierarchy: the provider first reduces an
 * error to FailureFacts, then the first matching row wins.
 */
import { ProviderError, type ProviderErrorKind } from '../errors.js';
import { redactSecrets } from './redact.js';

/** How an attempt failed when no HTTP error status explains it. */
export type Transport =
  | 'connection' // refused, reset, hang-up before any response
  | 'dns' // the host name does not resolve: retrying will not fix a typo
  | 'timeout' // no headers or no streamed token within the idle timeout
  | 'dropped' // the connection died mid-reply
  | 'unparseable' // a 2xx reply that is not an OpenAI-compatible stream
  | 'stream-error'; // the server put an error object inside the stream

export interface FailureFacts {
  status?: number;
  transport?: Transport;
  /** The server's or network layer's own words. Unredacted: the table redacts. */
  detail: string;
  /** Body error code (`insufficient_quota`) or socket code (`ECONNREFUSED`). */
  code?: string;
  /** The request parameter the server blamed, when it says (OpenAI's `error.param`). */
  param?: string;
  /** What the server asked us to wait, from retry-after-ms / retry-after. */
  retryAfterMs?: number;
  /** The server's id for the request (`x-request-id`), kept for a support ticket. */
  requestId?: string;
}

export interface FailureContext {
  baseURL: string;
  model: string;
  /** Azure OpenAI: the deployment, which is what a 404 is about. */
  deployment?: string;
  apiKeyEnv?: string;
  hasApiKey: boolean;
  timeoutMs: number;
  /** Values that must never appear in a message. */
  secrets: readonly (string | undefined)[];
}

interface Row {
  when: (f: FailureFacts) => boolean;
  kind: ProviderErrorKind;
  retryable: boolean;
  message: (f: FailureFacts, c: FailureContext) => string;
  hint?: (f: FailureFacts, c: FailureContext) => string;
}

export const CONTEXT_OVERFLOW =
  /context.?length|context.?window|context size|maximum context|too many tokens|token limit|tokens? exceed|exceeds? (?:the )?(?:max|maximum|available)|prompt is too long|input is too long|reduce the length/i;
const QUOTA = /insufficient_quota|exceeded your current quota|billing|credits?\b/i;

const is =
  (...codes: number[]) =>
  (f: FailureFacts) =>
    f.status !== undefined && codes.includes(f.status);
const said = (f: FailureFacts) => (f.detail ? `: ${f.detail}` : '');
const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};
// What node:http says when the server closes the connection before it answers.
const HUNG_UP = 'socket hang up';
const network = (f: FailureFacts) => {
  if (!f.code) return f.detail ? `: ${f.detail}` : '';
  const words = f.code === 'ECONNRESET' && f.detail === HUNG_UP ? NETWORK_WORDS.UND_ERR_SOCKET : NETWORK_WORDS[f.code];
  return words ? `: ${words} (${f.code})` : ` (${f.code})`;
};
const isLocal = (c: FailureContext) => /^https?:\/\/(localhost|127\.|\[::1\]|0\.0\.0\.0)/i.test(c.baseURL);

export const ERROR_TABLE: readonly Row[] = [
  {
    when: (f) => f.transport === 'dns',
    kind: 'unreachable',
    retryable: false,
    message: (f, c) => `cannot reach ${c.baseURL}: host name not found${f.code ? ` (${f.code})` : ''}`,
    hint: () => 'check the host name in --base-url and your network connection',
  },
  {
    when: (f) => f.transport === 'connection',
    kind: 'unreachable',
    retryable: true,
    message: (f, c) => `cannot reach ${c.baseURL}${network(f)}`,
    hint: (_f, c) =>
      isLocal(c)
        ? 'is the local server running? Start Ollama (`ollama serve`) or the LM Studio server, or fix --base-url'
        : 'check --base-url and your network connection',
  },
  {
    when: (f) => f.transport === 'dropped',
    kind: 'unreachable',
    retryable: true,
    message: (f, c) => `lost the connection to ${c.baseURL} mid-reply${network(f)}`,
  },
  {
    when: (f) => f.transport === 'timeout' || is(408)(f),
    kind: 'timeout',
    retryable: true,
    message: (f, c) =>
      f.status === 408 ? `${c.baseURL} timed out the request (408)` : `no response from ${c.baseURL} for ${formatSeconds(c.timeoutMs)}`,
    hint: () => 'slow or busy models may need a longer --timeout',
  },
  {
    when: (f) => f.transport === 'unparseable',
    kind: 'invalid-output',
    retryable: true,
    message: (f, c) => `${c.baseURL} sent a reply that is not an OpenAI-compatible chat stream${said(f)}`,
    hint: () => '--base-url must point at an OpenAI-compatible API, usually ending in /v1',
  },
  {
    when: is(401, 403),
    kind: 'auth',
    retryable: false,
    message: (f, c) =>
      c.hasApiKey
        ? `authentication failed for ${c.baseURL} with the key from ${c.apiKeyEnv ?? 'the configuration'} (${f.status})${said(f)}`
        : `authentication failed for ${c.baseURL}: no API key was sent${c.apiKeyEnv ? ` (${c.apiKeyEnv} is not set)` : ''}`,
    hint: (_f, c) =>
      c.apiKeyEnv
        ? `set ${c.apiKeyEnv} to a valid key for this server, or name another variable with --api-key-env`
        : 'put the key in an environment variable and name it with --api-key-env',
  },
  {
    when: is(402),
    kind: 'bad-request',
    retryable: false,
    message: (f, c) => `${c.baseURL} refused the request: payment required (402)${said(f)}`,
    hint: () => "check the account's credits or billing",
  },
  {
    when: (f) => is(429)(f) && (QUOTA.test(f.detail) || QUOTA.test(f.code ?? '')),
    kind: 'rate-limit',
    retryable: false,
    message: (f, c) => `the account's quota at ${c.baseURL} is used up (429)${said(f)}`,
    hint: () => "check the account's plan and billing; waiting will not help",
  },
  {
    when: is(429),
    kind: 'rate-limit',
    retryable: true,
    message: (f, c) => `rate limited by ${c.baseURL} (429)${said(f)}`,
    hint: () => 'wait a little, or send fewer requests at once',
  },
  {
    // Checked before 404 and 5xx: some servers (llama.cpp, proxies) report an over-long prompt that way,
    // and retrying the same prompt can never succeed.
    when: (f) => is(413)(f) || ((is(400, 422, 500)(f) || f.transport === 'stream-error') && CONTEXT_OVERFLOW.test(f.detail)),
    kind: 'context-overflow',
    retryable: false,
    message: (f, c) => `the request is too long for ${c.model} at ${c.baseURL} (${f.status ?? 'stream'})${said(f)}`,
    hint: () => 'shorten the input (fewer or smaller source files), or use a model with a larger context window',
  },
  {
    when: is(404),
    kind: 'model-not-found',
    retryable: false,
    message: (f, c) =>
      c.deployment
        ? `Azure OpenAI deployment "${c.deployment}" was not found at ${c.baseURL.replace(/ \(deployment .*\)$/, '')} (404)${said(f)}`
        : `model "${c.model}" was not found at ${c.baseURL} (404)${said(f)}`,
    hint: (_f, c) =>
      c.deployment
        ? 'check --deployment (the deployment name in Azure, not the model name), --base-url (the resource endpoint) and --api-version'
        : isLocal(c)
          ? `check --model; a local server may need the model first (Ollama: \`ollama pull ${c.model}\`)`
          : `check --model and --base-url; ${c.baseURL}/models lists what the server offers`,
  },
  {
    when: is(409),
    kind: 'server',
    retryable: true,
    message: (f, c) => `${c.baseURL} reported a conflict (409)${said(f)}`,
  },
  {
    when: is(400, 422),
    kind: 'bad-request',
    retryable: false,
    message: (f, c) => `${c.baseURL} rejected the request (${f.status})${said(f)}`,
    hint: () => 'the model or server may not support one of the options sent; try another model',
  },
  {
    when: (f) => f.status !== undefined && f.status >= 500,
    kind: 'server',
    retryable: true,
    message: (f, c) => `${c.baseURL} had a server error (${f.status})${said(f)}`,
  },
  {
    when: (f) => f.transport === 'stream-error',
    kind: 'server',
    retryable: true,
    message: (f, c) => `${c.baseURL} reported an error mid-reply${said(f)}`,
  },
  {
    when: (f) => f.status !== undefined,
    kind: 'bad-request',
    retryable: false,
    message: (f, c) => `${c.baseURL} answered with HTTP ${f.status}${said(f)}`,
  },
  {
    when: () => true,
    kind: 'server',
    retryable: false,
    message: (f, c) => `request to ${c.baseURL} failed${said(f)}`,
  },
];

/** Turns facts into the user-facing error. Every string leaving here is redacted. */
export function classifyFailure(facts: FailureFacts, context: FailureContext): ProviderError {
  const row = ERROR_TABLE.find((r) => r.when(facts)) ?? ERROR_TABLE[ERROR_TABLE.length - 1]!;
  const clean = (text: string) => redactSecrets(text, context.secrets);
  // Redact before shortening: a cut could leave half a key that no longer matches.
  const tidy: FailureFacts = { ...facts, detail: shorten(clean(facts.detail)) };
  return new ProviderError(row.kind, clean(row.message(tidy, context)), {
    retryable: row.retryable,
    status: facts.status,
    retryAfterMs: facts.retryAfterMs,
    requestId: facts.requestId,
    hint: row.hint ? clean(row.hint(tidy, context)) : undefined,
  });
}

/**
 * The server's requested wait in ms: `retry-after-ms`, else `retry-after` as seconds or an HTTP date.
 * Unbounded here; the caller applies the cap.
 */
export function parseRetryAfter(get: (name: string) => string | null | undefined): number | undefined {
  const ms = Number.parseFloat(get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number.parseFloat(raw) * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/** The socket error code (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET) buried in fetch's cause chain. */
export function socketCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
