/**
 * The SDK's transport: fetch() over node:http and node:https. Node's own fetch (undici) parses each
 * response with llhttp compiled to WebAssembly, which V8 compiles in every process and then compiles
 * again with its optimizing compiler on a background thread (80-100 ms of CPU per `draft new` here),
 * and undici itself loads at the first fetch. node:http's parser is native. Against the test server the
 * SDK alone took 0.47 s of CPU for `draft new`'s requests over fetch and 0.31 s over this
 * (bench/README.md, sixth round).
 *
 * It takes what the SDK sends to a model: a string or bytes to an http: or https: URL. Anything else
 * goes to the global fetch as it is: other bodies (the Batch API's multipart upload), a URL with a user
 * and password (which fetch refuses) and fetch-only options. It answers as fetch does: a failure to
 * connect rejects with TypeError('fetch failed', { cause }), an abort rejects with the signal's reason
 * and ends a body being read with it, a compressed body is decoded, and a redirect is followed as the
 * Fetch standard says (at most 20; 303, and 301 or 302 after a POST, become a GET without a body; the
 * Authorization header is not sent on to another origin).
 */
import { channel } from 'node:diagnostics_channel';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { REQUEST_SENT } from './request-sent.js';

const requestSent = channel(REQUEST_SENT);

const REDIRECT = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
/**
 * fetch's own bound on a silent server (undici's headersTimeout and bodyTimeout, 300 s each), as an idle
 * socket here: the SDK's timeout ends at the headers, and a streamed reply has its own idle timer
 * (stream-attempt.ts), but a JSON body or a file download would otherwise wait without end.
 */
const IDLE_MS = 300_000;
const NO_BODY = new Set([101, 204, 205, 304]);
const FETCH_ONLY = ['dispatcher', 'duplex', 'integrity', 'keepalive', 'mode', 'credentials', 'referrer', 'window'] as const;

function bodyBytes(body: RequestInit['body']): string | Uint8Array | undefined | false {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return false;
}

function handledHere(url: URL, init: RequestInit | undefined): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password) return false;
  if (init?.redirect && init.redirect !== 'follow') return false;
  if (init && FETCH_ONLY.some((key) => key in init && (init as Record<string, unknown>)[key] !== undefined)) return false;
  return bodyBytes(init?.body) !== false;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function decoded(response: http.IncomingMessage): Readable {
  const coding = String(response.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  const decoder =
    coding === 'gzip' || coding === 'x-gzip'
      ? zlib.createGunzip()
      : coding === 'deflate'
        ? zlib.createInflate()
        : coding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!decoder) return response;
  response.on('error', (error) => decoder.destroy(error));
  return response.pipe(decoder);
}

/** `idleMs`: how long a silent socket is waited for (tests make it short). */
export function createHttpFetch({ idleMs = IDLE_MS }: { idleMs?: number } = {}): typeof fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : undefined;
    if (!url || !handledHere(url, init)) return fetch(input, init);
    return send(url, init, MAX_REDIRECTS, idleMs);
  };
}

export const httpFetch = createHttpFetch();

/** The request a redirect asks for, as fetch makes it. */
function redirectedInit(status: number, from: URL, to: URL, init: RequestInit | undefined): RequestInit {
  const method = (init?.method ?? 'GET').toUpperCase();
  const headers = new Headers(init?.headers);
  const next: RequestInit = { ...init, headers };
  if (status === 303 ? method !== 'GET' && method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST') {
    next.method = 'GET';
    next.body = undefined;
    for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) headers.delete(name);
  }
  if (to.origin !== from.origin) headers.delete('authorization');
  return next;
}

function send(url: URL, init: RequestInit | undefined, redirectsLeft: number, idleMs: number): Promise<Response> {
  const signal = init?.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortReason(signal));

  const body = bodyBytes(init?.body) || undefined;
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, name) => {
    headers[name] = value;
  });
  headers['accept-encoding'] ??= 'gzip, deflate, br';
  if (body !== undefined) headers['content-length'] ??= String(Buffer.byteLength(body));
  const method = (init?.method ?? 'GET').toUpperCase();

  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    let reading: http.IncomingMessage | undefined;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    const onAbort = () => {
      const reason = abortReason(signal!);
      settle(() => reject(reason));
      reading?.destroy(reason as Error);
      request.destroy();
    };
    const done = () => signal?.removeEventListener('abort', onAbort);

    const request = (url.protocol === 'https:' ? https : http).request(url, { method, headers }, (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      // A body drained unread may still break off; that is nobody's error.
      const drain = () => response.on('error', () => {}).resume();
      if (REDIRECT.has(status) && location) {
        drain();
        done();
        let to: URL;
        try {
          to = new URL(location, url);
        } catch (error) {
          settle(() => reject(new TypeError('fetch failed', { cause: error })));
          return;
        }
        if (redirectsLeft === 0) {
          settle(() => reject(new TypeError('fetch failed', { cause: new Error('redirect count exceeded') })));
          return;
        }
        const next = redirectedInit(status, url, to, init);
        settle(() => resolve(handledHere(to, next) ? send(to, next, redirectsLeft - 1, idleMs) : fetch(to, next)));
        return;
      }
      if (status < 200 || status > 599) {
        response.destroy();
        done();
        settle(() => reject(new TypeError('fetch failed', { cause: new Error(`status ${status} is not a response fetch can give`) })));
        return;
      }
      let answer: Response;
      try {
        // Headers and Response refuse what fetch would refuse too (a header value that is not a byte string).
        const responseHeaders = new Headers();
        for (let i = 0; i + 1 < response.rawHeaders.length; i += 2)
          responseHeaders.append(response.rawHeaders[i]!, response.rawHeaders[i + 1]!);
        const empty = NO_BODY.has(status) || method === 'HEAD';
        answer = new Response(empty ? null : (Readable.toWeb(decoded(response)) as ReadableStream), {
          status,
          statusText: response.statusMessage,
          headers: responseHeaders,
        });
        if (empty) drain();
      } catch (error) {
        response.destroy();
        done();
        settle(() => reject(new TypeError('fetch failed', { cause: error })));
        return;
      }
      reading = response;
      response.once('close', done);
      Object.defineProperty(answer, 'url', { value: url.href });
      settle(() => resolve(answer));
    });
    request.setTimeout(idleMs, () => {
      const silent = Object.assign(new Error(`no data from ${url.origin} for ${idleMs / 1000} s`), { code: 'ETIMEDOUT' });
      reading?.destroy(silent);
      request.destroy(silent);
    });
    request.on('error', (error) => {
      done();
      settle(() => reject(new TypeError('fetch failed', { cause: error })));
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    request.end(body, () => {
      if (requestSent.hasSubscribers) requestSent.publish({ request });
    });
  });
}
