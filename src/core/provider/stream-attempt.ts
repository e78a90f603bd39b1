/**
 * One streamed chat-completions request: the idle timer the SDK lacks, the byte cap for servers that
 * ignore max_tokens, <think> filtering of what is shown live. The retry and fallback loop is the provider's.
 */
import type OpenAI from 'openai';
import { InterruptedError } from '../errors.js';
import type { FailureFacts } from './error-table.js';
import type { ReplyLimits } from './reply-limits.js';
import { failureFactsFrom } from './sdk-failure-facts.js';
import { chatCompletionChunks, OversizedEvent } from './sse-chunks.js';
import { createThinkFilter } from './think.js';
import type { ChatRequest, StructuredMode, Usage } from './types.js';

type Sdk = typeof import('openai');

export type Attempt =
  | { ok: true; raw: string; finish: string | null | undefined; usage?: Usage; overBytes?: boolean }
  | { ok: false; facts: FailureFacts };

/** One HTTP request. Throws only InterruptedError (or a caller's onDelta error); failures come back as facts. */
export async function attemptOnce(
  sdk: Sdk,
  client: OpenAI,
  body: OpenAI.ChatCompletionCreateParamsStreaming,
  request: ChatRequest,
  options: { mode: StructuredMode | undefined; limits: ReplyLimits; timeoutMs: number },
): Promise<Attempt> {
  const { mode, limits } = options;
  const controller = new AbortController();
  const stop = () => controller.abort();
  request.signal?.addEventListener('abort', stop, { once: true });

  // The SDK's timeout stops at the response headers; a stream that stalls midway needs its own timer.
  // Aborting mid-stream fails the body's read like any abort, so the flag is what tells a stall apart.
  let idleFired = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      idleFired = true;
      controller.abort();
    }, options.timeoutMs);
  };

  const filter = createThinkFilter();
  let callbackError: { error: unknown } | undefined;
  const emit = (text: string) => {
    if (!text || !request.onDelta || callbackError) return;
    try {
      request.onDelta(text);
    } catch (error) {
      callbackError = { error };
      controller.abort();
    }
  };

  let phase: 'connect' | 'stream' = 'connect';
  let raw = '';
  let finish: string | null | undefined;
  let usage: Usage | undefined;
  let chunks = 0;
  let bytes = 0;
  let overBytes = false;
  try {
    arm();
    // The raw response, not the SDK's Stream: see sse-chunks.ts. A status that is not 2xx still throws the SDK's error.
    const response = await client.chat.completions.create(body, { signal: controller.signal }).asResponse();
    phase = 'stream';
    arm();
    // An event holds one piece of the reply and its envelope: longer than the reply's cap, it is not read.
    const maxEventChars = limits.maxBytes + 64 * 1024;
    reading: for await (const read of chatCompletionChunks(sdk, response, { maxEventChars })) {
      arm();
      for (const chunk of read) {
        chunks++;
        if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        // reasoning_content (DeepSeek, vLLM) and reasoning (Ollama, OpenRouter) are deliberately not read.
        // A function call's arguments are the reply (one call: the request names the function).
        const piece = choice.delta?.content || (mode === 'tool' ? choice.delta?.tool_calls?.[0]?.function?.arguments : undefined);
        if (piece) {
          bytes += Buffer.byteLength(piece);
          if (bytes > limits.maxBytes) {
            // A server that ignores max_tokens: stop reading, and hang up so it stops sending.
            overBytes = true;
            controller.abort();
            break reading;
          }
          raw += piece;
          emit(filter.push(piece));
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
    }
  } catch (error) {
    if (callbackError) throw callbackError.error;
    if (error instanceof OversizedEvent) overBytes = true;
    if (overBytes && !request.signal?.aborted) return { ok: true, raw, finish: 'length', usage, overBytes };
    if (request.signal?.aborted) throw new InterruptedError();
    if (idleFired) return { ok: false, facts: { transport: 'timeout', detail: '' } };
    return { ok: false, facts: failureFactsFrom(sdk, error, phase) };
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', stop);
  }
  if (callbackError) throw callbackError.error;
  if (request.signal?.aborted) throw new InterruptedError();
  if (overBytes) return { ok: true, raw, finish: 'length', usage, overBytes };
  if (idleFired) return { ok: false, facts: { transport: 'timeout', detail: '' } };
  // A 2xx whose body has no SSE events at all: HTML from a proxy, plain JSON, a wrong --base-url.
  if (chunks === 0) return { ok: false, facts: { transport: 'unparseable', detail: 'the reply held no stream events' } };
  emit(filter.flush());
  return { ok: true, raw, finish, usage };
}
