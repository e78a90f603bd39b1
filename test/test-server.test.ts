/**
 * The test server is what every provider and end-to-end test trusts, so its wire format, bookkeeping
 * and Range handling are checked here with plain fetch (no SDK in between).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

const chat = (body: object, signal?: AbortSignal) =>
  fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
    body: JSON.stringify(body),
    signal,
  });

const MESSAGES = [{ role: 'user', content: 'x'.repeat(40) }];

/** The JSON payloads of an SSE body, with [DONE] kept as a string. */
function events(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      expect(block.startsWith('data: ')).toBe(true);
      const data = block.slice('data: '.length);
      return data === '[DONE]' ? data : JSON.parse(data);
    });
}

describe('chat completions', () => {
  it('streams like OpenAI: role chunk, content, finish, usage chunk, [DONE]', async () => {
    server.queue({ content: 'abcdefghij', chunkSize: 4, reasoning: 'why' });
    const res = await chat({ model: 'm1', messages: MESSAGES, stream: true, stream_options: { include_usage: true } });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const all = events(await res.text()) as any[];

    expect(all[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(all[0].model).toBe('m1');
    expect(all.map((e) => e.choices?.[0]?.delta?.reasoning_content).filter(Boolean)).toEqual(['why']);
    expect(all.map((e) => e.choices?.[0]?.delta?.content).filter(Boolean)).toEqual(['abcd', 'efgh', 'ij']);
    const finish = all.find((e) => e.choices?.[0]?.finish_reason);
    expect(finish.choices[0].finish_reason).toBe('stop');
    const usage = all.at(-2);
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toEqual({ prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 });
    expect(all.at(-1)).toBe('[DONE]');
  });

  it('never cuts a character outside the BMP between chunks', async () => {
    server.queue({ content: 'a🎉b😀😀c', chunkSize: 2 });
    const res = await chat({ model: 'm1', messages: MESSAGES, stream: true });
    const pieces = (events(await res.text()) as any[]).map((e) => e.choices?.[0]?.delta?.content).filter(Boolean);
    expect(pieces).toEqual(['a🎉', 'b😀', '😀c']);
  });

  it('sends no usage chunk unless asked', async () => {
    const res = await chat({ messages: MESSAGES, stream: true });
    const all = events(await res.text()) as any[];
    expect(all.some((e) => e !== '[DONE]' && e.choices.length === 0)).toBe(false);
  });

  it('answers a non-streaming request with a chat.completion object', async () => {
    server.queue({ content: 'hello', finishReason: 'length', usage: { prompt_tokens: 5, completion_tokens: 1 } });
    const body = (await (await chat({ messages: MESSAGES })).json()) as any;
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0].message).toMatchObject({ role: 'assistant', content: 'hello' });
    expect(body.choices[0].finish_reason).toBe('length');
    expect(body.usage).toEqual({ prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 });
  });

  it('uses the queue first, then the handler, then records every request in order', async () => {
    server.setHandler((_req, index) => ({ content: `handler ${index}` }));
    server.queue({ status: 418, headers: { 'retry-after': '2' } });
    const first = await chat({ messages: MESSAGES, n: 1 });
    expect(first.status).toBe(418);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(((await first.json()) as any).error.message).toContain('418');
    const second = (await (await chat({ messages: MESSAGES, n: 2 })).json()) as any;
    expect(second.choices[0].message.content).toBe('handler 1');
    expect(server.requests.map((r) => r.body.n)).toEqual([1, 2]);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer k');
    expect(server.requests[0]?.path).toBe('/v1/chat/completions');
  });

  it('replies "ok" by default and serves raw bodies as given', async () => {
    const ok = (await (await chat({ messages: MESSAGES })).json()) as any;
    expect(ok.choices[0].message.content).toBe('ok');
    server.queue({ raw: '{"broken": ', status: 200 });
    expect(await (await chat({ messages: MESSAGES })).text()).toBe('{"broken": ');
  });

  it('a dropped request gets no response at all', async () => {
    server.queue({ drop: true });
    await expect(chat({ messages: MESSAGES })).rejects.toThrow();
    expect(server.requests).toHaveLength(1);
  });

  it('counts requests in flight and their high-water mark', async () => {
    server.setDelay(100);
    await Promise.all([1, 2, 3].map(() => chat({ messages: MESSAGES }).then((r) => r.text())));
    expect(server.maxInFlight).toBe(3);
    expect(server.inFlight).toBe(0);
  });

  it('survives a client that aborts a stalled stream, and keeps serving', async () => {
    server.queue({ stallAfterChunks: 2, content: 'never finished' });
    const controller = new AbortController();
    const res = await chat({ messages: MESSAGES, stream: true }, controller.signal);
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await vi.waitFor(() => expect(server.inFlight).toBe(0));
    expect(((await (await chat({ messages: MESSAGES })).json()) as any).choices[0].message.content).toBe('ok');
  });

  it('close() ends stalled streams instead of hanging', async () => {
    server.queue({ stallAfterChunks: 1, content: 'stuck' });
    const res = await chat({ messages: MESSAGES, stream: true });
    const reading = res.text().catch(() => 'closed');
    await server.close();
    // A hang here is caught by the test timeout; what the reader sees is the behaviour under test.
    expect(await reading).toBe('closed');
  });
});

describe('other routes', () => {
  it('lists one model and 404s unknown routes', async () => {
    const models = (await (await fetch(`${server.url}/models`)).json()) as any;
    expect(models.data).toHaveLength(1);
    const missing = await fetch(`${server.origin}/nope`);
    expect(missing.status).toBe(404);
    expect(server.requests).toHaveLength(0);
  });

  it('serves files with Range support', async () => {
    const data = Buffer.from('0123456789');
    server.serveFile('/files/model.gguf', data);
    const url = `${server.origin}/files/model.gguf`;

    const full = await fetch(url);
    expect(full.status).toBe(200);
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await full.arrayBuffer())).toEqual(data);

    const part = await fetch(url, { headers: { range: 'bytes=4-' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 4-9/10');
    expect(await part.text()).toBe('456789');

    const middle = await fetch(url, { headers: { range: 'bytes=2-3' } });
    expect(await middle.text()).toBe('23');
    const suffix = await fetch(url, { headers: { range: 'bytes=-3' } });
    expect(await suffix.text()).toBe('789');

    const beyond = await fetch(url, { headers: { range: 'bytes=10-' } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */10');

    const head = await fetch(url, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe('10');
    expect(server.fileRequests.map((r) => r.headers.range)).toEqual([
      undefined,
      'bytes=4-',
      'bytes=2-3',
      'bytes=-3',
      'bytes=10-',
      undefined,
    ]);
  });
});
