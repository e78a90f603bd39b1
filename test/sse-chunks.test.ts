/**
 * The streamed reply's chunks, read from the raw response (sse-chunks.ts): what the SDK's own stream
 * did, on the reads a network hands over (several events at once, an event or a character split
 * between reads).
 */
import * as sdk from 'openai';
import { describe, expect, it } from 'vitest';
import { chatCompletionChunks, OversizedEvent } from '../src/core/provider/sse-chunks.js';

const event = (content: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;

/** A response whose body arrives in exactly these reads. */
function responseOf(reads: (string | Uint8Array)[], onCancel?: () => void): Response {
  const bytes = reads.map((r) => (typeof r === 'string' ? new TextEncoder().encode(r) : r));
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = bytes.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
    cancel: onCancel,
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream', 'x-request-id': 'req_123' } });
}

async function textOf(response: Response): Promise<{ text: string; reads: number }> {
  let text = '';
  let reads = 0;
  for await (const chunks of chatCompletionChunks(sdk, response, { maxEventChars: 1024 * 1024 })) {
    reads++;
    for (const chunk of chunks) text += chunk.choices[0]?.delta?.content ?? '';
  }
  return { text, reads };
}

describe('the chunks of a streamed reply', () => {
  it('are read whole whether a read holds many events or splits one, or splits a character', async () => {
    const words = Array.from({ length: 300 }, (_, i) => `word ${i} `);
    const wire = `${words.map(event).join('')}data: [DONE]\n\n`;
    expect((await textOf(responseOf([wire]))).text).toBe(words.join(''));

    const bytes = new TextEncoder().encode(`${event('café ')}${event('naïve')}data: [DONE]\n\n`);
    // Every possible cut, including inside "é" and inside "\n\n".
    for (let cut = 1; cut < bytes.length; cut++) {
      const { text } = await textOf(responseOf([bytes.slice(0, cut), bytes.slice(cut)]));
      expect(text, `cut at ${cut}`).toBe('café naïve');
    }
  });

  it('end at [DONE], ignore comments and event names, and yield nothing for a body with no events', async () => {
    const wire = `: keep-alive\n\nevent: message\n${event('kept')}data: [DONE]\n\n${event('after done')}`;
    expect((await textOf(responseOf([wire]))).text).toBe('kept');
    expect(await textOf(responseOf(['<html><body>Bad gateway</body></html>']))).toEqual({ text: '', reads: 0 });
  });

  it('throw the SDK’s APIError for an error inside the stream, and a SyntaxError for a chunk that is not JSON', async () => {
    const inStream = responseOf([`${event('partial')}data: {"error":{"message":"overloaded","code":"server_busy"}}\n\n`]);
    const failure = await textOf(inStream).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(sdk.APIError);
    expect(failure).toMatchObject({ status: undefined, code: 'server_busy', requestID: 'req_123' });

    await expect(textOf(responseOf(['data: {not json\n\n']))).rejects.toBeInstanceOf(SyntaxError);
  });

  it('stop at an event longer than the cap (a line that never ends), and hang up', async () => {
    let cancelled = false;
    const endless = Array.from({ length: 64 }, () => `data: ${'x'.repeat(1024)}`.slice(0, 1024));
    const response = responseOf([event('kept'), ...endless], () => {
      cancelled = true;
    });
    const read: string[] = [];
    const failure = await (async () => {
      for await (const chunks of chatCompletionChunks(sdk, response, { maxEventChars: 16 * 1024 }))
        for (const chunk of chunks) read.push(chunk.choices[0]?.delta?.content ?? '');
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OversizedEvent);
    expect(read).toEqual(['kept']);
    expect(cancelled).toBe(true);
  });

  it('hang up when the reader stops early, so the server stops sending', async () => {
    let cancelled = false;
    const response = responseOf([event('one'), event('two'), event('three')], () => {
      cancelled = true;
    });
    for await (const _ of chatCompletionChunks(sdk, response, { maxEventChars: 1024 * 1024 })) break;
    expect(cancelled).toBe(true);
  });
});
