/**
 * Issue 15: what `draft new` does while the model answers. The modules needed only after the replies
 * (Markdown, front matter, notes) load once the first model request is on the wire, not as soon as it
 * is made: started then, they delayed the connection itself.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { onceRequestSent } from '../src/core/drafting/once-request-sent.js';
import { httpFetch } from '../src/core/provider/http-fetch.js';

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('onceRequestSent', () => {
  it('runs the work only once a model request body has been written, not in the turn after the call', async () => {
    const server = createServer((req, res) => {
      req.resume().on('end', () => res.end('ok'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    close = () => new Promise((r) => server.close(() => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    let ran = 0;
    // A fallback far beyond the test's life: only the send can trigger it here.
    onceRequestSent(() => ran++, 60_000);
    // A source page fetched with Node's fetch is not the model's request.
    expect(await (await fetch(url, { method: 'POST', body: 'page' })).text()).toBe('ok');
    await turns(2);
    expect(ran).toBe(0);
    const reply = httpFetch(url, { method: 'POST', body: 'x'.repeat(1000) });
    // The turn right after fetch() is called, when the loading used to start (setImmediate): the socket
    // is not even connected yet, so the work must wait.
    await turns(1);
    expect(ran).toBe(0);
    expect(await (await reply).text()).toBe('ok');
    await turns(2);
    expect(ran).toBe(1);
    // Once: later requests do not run it again.
    expect(await (await httpFetch(url, { method: 'POST', body: 'y' })).text()).toBe('ok');
    await turns(2);
    expect(ran).toBe(1);
  });

  it('runs the work anyway when no request goes out (the local engine, a cached reply)', async () => {
    const ran = await new Promise<boolean>((resolve) => onceRequestSent(() => resolve(true), 5));
    expect(ran).toBe(true);
  });
});
