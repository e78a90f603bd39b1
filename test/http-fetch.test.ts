/**
 * src/core/provider/http-fetch.ts, the model's transport: fetch() over node:http. Checked against a
 * real server on 127.0.0.1 and, where the two can be compared, against Node's own fetch, which the SDK
 * would use otherwise: the same answer, streamed as it arrives, aborts and failures in fetch's shapes,
 * and what it leaves to fetch (redirects, multipart bodies, URLs with credentials).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpFetch, httpFetch } from '../src/core/provider/http-fetch.js';
import { REQUEST_SENT } from '../src/core/provider/request-sent.js';

type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;
let server: Server;
let base: string;
let handler: Handler;
const closed: string[] = [];

beforeEach(async () => {
  closed.length = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks), res));
    res.on('close', () => closed.push(req.url ?? ''));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function answer(response: Response) {
  const headers = Object.fromEntries([...response.headers].filter(([name]) => !['date', 'keep-alive', 'connection'].includes(name)));
  return { status: response.status, statusText: response.statusText, headers, body: await response.text() };
}

describe('httpFetch', () => {
  it('answers a JSON request as Node’s fetch does, and the server sees the same request', async () => {
    const seen: unknown[] = [];
    handler = (req, body, res) => {
      seen.push({
        method: req.method,
        url: req.url,
        type: req.headers['content-type'],
        auth: req.headers.authorization,
        body: body.toString(),
      });
      res.writeHead(201, 'Made', { 'content-type': 'application/json', 'x-request-id': 'req_123' }).end('{"ok":true,"text":"héllo"}');
    };
    const init = { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-x' }, body: '{"q":"ünïcode"}' };
    const ours = await answer(await httpFetch(`${base}/v1/chat?x=1`, init));
    const theirs = await answer(await fetch(`${base}/v1/chat?x=1`, init));
    expect(ours).toEqual(theirs);
    expect(ours.headers['x-request-id']).toBe('req_123');
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0]).toMatchObject({ method: 'POST', body: '{"q":"ünïcode"}', auth: 'Bearer sk-x' });
  });

  it('streams a body as it arrives, and says when the request is on the wire', async () => {
    let finish!: () => void;
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      finish = () => res.end('data: two\n\n');
    };
    const sent: unknown[] = [];
    const onSent = (message: unknown) => sent.push(message);
    subscribe(REQUEST_SENT, onSent);
    try {
      const response = await httpFetch(`${base}/stream`, { method: 'POST', body: '{}' });
      expect(sent).toHaveLength(1);
      const reader = response.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toBe('data: one\n\n');
      finish();
      let rest = '';
      for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
      expect(rest).toBe('data: two\n\n');
    } finally {
      unsubscribe(REQUEST_SENT, onSent);
    }
  });

  it('an abort rejects with the signal’s reason, before the answer and while its body is read, and closes the socket', async () => {
    handler = (req, _body, res) => {
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 5_000);
      res.writeHead(200);
      res.write('part');
    };
    const before = new AbortController();
    const pending = httpFetch(`${base}/slow`, { signal: before.signal });
    setTimeout(() => before.abort(new Error('stopped by the user')), 50);
    await expect(pending).rejects.toThrow('stopped by the user');

    const during = new AbortController();
    const response = await httpFetch(`${base}/body`, { signal: during.signal });
    const reader = response.body!.getReader();
    await reader.read();
    during.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
    await expect.poll(() => closed).toEqual(expect.arrayContaining(['/slow', '/body']));

    const already = new AbortController();
    already.abort(new Error('too late'));
    await expect(httpFetch(`${base}/body`, { signal: already.signal })).rejects.toThrow('too late');
  });

  it('a server silent past the idle bound: no answer rejects as a timed-out connection, a stalled body ends in error', async () => {
    handler = (req, _body, res) => {
      if (req.url === '/silent') return;
      res.writeHead(200);
      res.write('part');
    };
    const impatient = createHttpFetch({ idleMs: 100 });
    const silent = await impatient(`${base}/silent`).catch((e: unknown) => e);
    expect(silent).toBeInstanceOf(TypeError);
    expect((silent as TypeError).cause).toMatchObject({ code: 'ETIMEDOUT' });
    const stalled = await impatient(`${base}/stalled`);
    await expect(stalled.text()).rejects.toMatchObject({ code: 'ETIMEDOUT' });
  });

  it('a refused connection rejects as fetch does: TypeError("fetch failed") with the socket error as its cause', async () => {
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const failure = await httpFetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).message).toBe('fetch failed');
    expect(((failure as TypeError).cause as { code: string }).code).toBe('ECONNREFUSED');
    server = createServer().listen(0); // for afterEach
  });

  it('keeps the connection for the next request, and speaks TLS to an https: URL', async () => {
    let connections = 0;
    server.on('connection', () => connections++);
    handler = (_req, _body, res) => res.end('ok');
    for (let i = 0; i < 3; i++) expect(await (await httpFetch(`${base}/again`, { method: 'POST', body: '{}' })).text()).toBe('ok');
    expect(connections).toBe(1);

    // TLS to a server that speaks plain HTTP fails its handshake, as fetch's would.
    const tls = await httpFetch(base.replace('http:', 'https:')).catch((e: unknown) => e);
    expect(tls).toBeInstanceOf(TypeError);
    expect(String(((tls as TypeError).cause as { code?: string }).code)).toMatch(/SSL|EPROTO|ECONNRESET/);
  });

  it('decodes a gzip body, and gives a 204 no body', async () => {
    handler = (req, _body, res) => {
      if (req.url === '/empty') return void res.writeHead(204).end();
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' }).end(gzipSync('{"zipped":true}'));
    };
    expect(await (await httpFetch(`${base}/zipped`)).json()).toEqual({ zipped: true });
    const empty = await httpFetch(`${base}/empty`);
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
  });

  it('follows a redirect as fetch does: 307 sends the body again, 302 after a POST is a GET, no Authorization to another origin', async () => {
    const seen: string[] = [];
    handler = (req, body, res) => {
      seen.push(`${req.method} ${req.url} ${body.length} ${req.headers.authorization ?? '-'}`);
      if (req.url === '/old') return void res.writeHead(307, { location: '/new' }).end();
      if (req.url === '/posted') return void res.writeHead(302, { location: '/got' }).end();
      if (req.url === '/away') return void res.writeHead(308, { location: `${other}/there` }).end();
      if (req.url === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
      res.writeHead(200).end(`at ${req.url}`);
    };
    const elsewhere = createServer((req, res) => {
      seen.push(`elsewhere ${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
      req.resume();
      req.on('end', () => res.end('there'));
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const other = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    try {
      const auth = { authorization: 'Bearer sk-x' };
      expect(await (await httpFetch(`${base}/old`, { method: 'POST', body: 'hello', headers: auth })).text()).toBe('at /new');
      expect(await (await httpFetch(`${base}/posted`, { method: 'POST', body: 'hello', headers: auth })).text()).toBe('at /got');
      expect(await (await httpFetch(`${base}/away`, { method: 'POST', body: 'hello', headers: auth })).text()).toBe('there');
      expect(seen).toEqual([
        'POST /old 5 Bearer sk-x',
        'POST /new 5 Bearer sk-x',
        'POST /posted 5 Bearer sk-x',
        'GET /got 0 Bearer sk-x',
        'POST /away 5 Bearer sk-x',
        'elsewhere POST /there -',
      ]);
      const looping = await httpFetch(`${base}/loop`).catch((e: unknown) => e);
      expect(looping).toBeInstanceOf(TypeError);
      expect(((looping as TypeError).cause as Error).message).toBe('redirect count exceeded');
    } finally {
      elsewhere.closeAllConnections();
      await new Promise((resolve) => elsewhere.close(resolve));
    }
  });

  it('leaves to fetch a multipart body (the Batch API upload) and a URL with a password, which fetch refuses', async () => {
    const seen: string[] = [];
    handler = (req, body, res) => {
      seen.push(`${req.method} ${req.url} ${String(req.headers['content-type'] ?? '').split(';')[0]} ${body.length}`);
      res.writeHead(200).end('ok');
    };
    const form = new FormData();
    form.append('purpose', 'batch');
    form.append('file', new Blob(['{"a":1}\n']), 'requests.jsonl');
    await httpFetch(`${base}/files`, { method: 'POST', body: form });
    expect(seen[0]).toMatch(/^POST \/files multipart\/form-data \d+$/);

    const withPassword = `http://user:secret@127.0.0.1:${(server.address() as AddressInfo).port}/`;
    await expect(httpFetch(withPassword)).rejects.toThrow(TypeError);
    expect(seen).toHaveLength(1);
  });
});
