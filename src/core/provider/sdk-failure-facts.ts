import { socketCode, parseRetryAfter, type FailureFacts } from './error-table.js';

type Sdk = typeof import('openai');

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

/** What an OpenAI SDK error says about a failed request, for the error table to word and classify. */
export function failureFactsFrom(sdk: Sdk, error: unknown, phase: 'connect' | 'stream'): FailureFacts {
  const { APIError, APIConnectionError, APIConnectionTimeoutError } = sdk;
  if (error instanceof APIConnectionTimeoutError) return { transport: 'timeout', detail: '' };
  if (error instanceof APIConnectionError) {
    const code = socketCode(error);
    // With a code the code is worded; the words stay beside it (node:http's "socket hang up" is a close).
    return { transport: code && DNS_CODES.has(code) ? 'dns' : 'connection', code, detail: innermostMessage(error) };
  }
  if (error instanceof APIError) {
    const facts: FailureFacts = {
      detail: apiErrorDetail(error),
      code: typeof error.code === 'string' ? error.code : undefined,
      param: typeof error.param === 'string' ? error.param : undefined,
      requestId: error.requestID ?? error.headers?.get('x-request-id') ?? undefined,
    };
    // No status: the server sent {"error": …} inside a 200 stream.
    if (error.status === undefined) return { ...facts, transport: 'stream-error' };
    const headers = error.headers;
    return { ...facts, status: error.status, retryAfterMs: headers ? parseRetryAfter((n) => headers.get(n)) : undefined };
  }
  if (error instanceof SyntaxError) return { transport: 'unparseable', detail: 'a streamed chunk is not valid JSON' };
  // Past the headers, anything else is the body breaking off (undici: "terminated", "other side closed").
  if (phase === 'stream') return { transport: 'dropped', code: socketCode(error), detail: '' };
  return { detail: error instanceof Error ? error.message : String(error) };
}

function apiErrorDetail(error: InstanceType<Sdk['APIError']>): string {
  const body: unknown = error.error;
  if (typeof body === 'string') return body; // Ollama: {"error": "model 'x' not found"}
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
    return (body as { message: string }).message;
  }
  return error.message.replace(/^\d{3}\s*/, '').replace(/^status code \(no body\)$/, '');
}

function innermostMessage(error: unknown): string {
  let message = '';
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    message = current.message;
    current = current.cause;
  }
  return message;
}
