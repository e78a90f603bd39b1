/**
 * The chunks of a streamed chat completion, read from the raw response the SDK hands back.
 *
 * The SDK (openai 6.x, the last line that runs on Node 20) splits a stream into events by copying
 * the rest of its buffer once per event (`iterSSEChunks`), so a read that holds many events costs
 * the square of its size: a fast local server sends a whole reply in one or two reads, and in a
 * 48-draft batch that copying was the SDK's largest cost (bench/README.md). openai-node fixed it in
 * 7.x, which needs Node 22. eventsource-parser scans each read once.
 *
 * What the SDK's stream did is kept: `[DONE]` ends the stream, a chunk that is not JSON throws a
 * SyntaxError, and `{"error": …}` inside the stream throws the SDK's own APIError, so
 * sdk-failure-facts.ts words every failure as before.
 */
import { createParser } from 'eventsource-parser';
import type OpenAI from 'openai';

type Sdk = typeof import('openai');

/**
 * One event longer than the cap (a server that never ends a line): the reply is over its byte cap,
 * though no text of it reached the caller. Without it the line would be buffered without end.
 */
export class OversizedEvent extends Error {
  constructor(maxChars: number) {
    super(`a streamed event was longer than ${maxChars} characters`);
    this.name = 'OversizedEvent';
  }
}

/** Each network read's chunks, in order; an empty read yields nothing. */
export async function* chatCompletionChunks(
  sdk: Sdk,
  response: Response,
  options: { maxEventChars: number },
): AsyncGenerator<OpenAI.ChatCompletionChunk[]> {
  if (!response.body) return;
  let events: string[] = [];
  let done = false;
  let oversized = false;
  const parser = createParser({
    onEvent: (event) => {
      if (done) return;
      if (event.data.startsWith('[DONE]')) done = true;
      else events.push(event.data);
    },
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') oversized = true;
    },
    maxBufferSize: options.maxEventChars,
  });
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  let finished = false;
  try {
    for (;;) {
      const read = await reader.read();
      if (read.done) break;
      parser.feed(decoder.decode(read.value, { stream: true }));
      if (oversized) throw new OversizedEvent(options.maxEventChars);
      if (events.length === 0) continue;
      const batch = events;
      events = [];
      yield batch.map((data) => chunkOf(sdk, data, response.headers));
    }
    finished = true;
    parser.feed(decoder.decode());
    if (events.length > 0) yield events.map((data) => chunkOf(sdk, data, response.headers));
  } finally {
    // Stopped early (the byte cap, a bad chunk, an abort): hang up, so the server stops sending.
    if (!finished) reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

function chunkOf(sdk: Sdk, data: string, headers: Headers): OpenAI.ChatCompletionChunk {
  const parsed = JSON.parse(data) as OpenAI.ChatCompletionChunk & { error?: unknown };
  if (parsed?.error) throw new sdk.APIError(undefined, parsed.error as object, undefined, headers);
  return parsed;
}
