import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { InterruptedError, RunError, UsageError } from '../errors.js';
import { isPrivateAddress } from './address-policy.js';

export interface FetchLimits {
  /** The whole fetch, redirects included. */
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  allowPrivate: boolean;
  /** Addresses let through even when private (tests: one loopback address and no other). */
  allowAddress?: (address: string) => boolean;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { timeoutMs: 20_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5, allowPrivate: false };

export interface FetchedDocument {
  /** After redirects. */
  url: string;
  contentType: string;
  body: Buffer;
}

export const ACCEPTED_TYPES = ['text/html', 'application/xhtml+xml', 'text/plain', 'text/markdown', 'text/x-markdown', 'application/pdf'];

const PRIVATE_HINT =
  'Sources on loopback or private networks are refused; pass --allow-private-sources (or sources.allowPrivate in draft.config.json) to allow them.';

/**
 * GET a source with the limits a tool that fetches URLs from briefs needs: http(s) only, no
 * credentials, no cookies, identity encoding (no decompression bombs), a byte cap, a deadline, and
 * every hop's address checked after DNS resolution, at connect time, so a name that resolves to a
 * private address (or a redirect to one) is refused however it is spelled.
 */
export async function safeFetch(location: string, limits: FetchLimits, signal?: AbortSignal): Promise<FetchedDocument> {
  const deadline = AbortSignal.timeout(limits.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  let url = checkUrl(location, location, limits);
  for (let hop = 0; ; hop += 1) {
    const response = await request(url, location, limits, combined);
    if (response.redirect) {
      if (hop >= limits.maxRedirects) {
        throw new RunError(`source ${location}: more than ${limits.maxRedirects} redirects`, {
          hint: 'Give the final URL of the page.',
          code: 'source-redirects',
        });
      }
      url = checkUrl(new URL(response.redirect, url).href, location, limits);
      continue;
    }
    return { url: url.href, contentType: response.contentType, body: response.body };
  }
}

function checkUrl(href: string, label: string, limits: FetchLimits): URL {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    throw new UsageError(`source ${label}: not a valid URL`, {
      hint: 'A source is an http(s) URL or a file path.',
      code: 'source-refused',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`source ${label}: only http and https URLs are fetched (got ${url.protocol})`, {
      hint: 'Save the page and give its file path instead.',
      code: 'source-refused',
    });
  }
  if (url.username || url.password) {
    throw new UsageError(`source ${label}: a source URL may not carry a user name or password`, {
      hint: 'Save the page and give its file path instead.',
      code: 'source-refused',
    });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && refused(host, limits)) {
    throw new UsageError(`source ${label}: ${host} is a private or loopback address`, { hint: PRIVATE_HINT, code: 'source-refused' });
  }
  return url;
}

interface HopResult {
  redirect?: string;
  contentType: string;
  body: Buffer;
}

function request(url: URL, label: string, limits: FetchLimits, signal: AbortSignal): Promise<HopResult> {
  if (signal.aborted) return Promise.reject(abortReason(signal, label, limits));
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses as LookupAddress[];
      const blocked = list.find((a) => refused(a.address, limits));
      if (blocked) return callback(Object.assign(new Error('private address'), { code: 'EDRAFTPRIVATE', address: blocked.address }), '', 4);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0]!;
      callback(null, first.address, first.family);
    });
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<HopResult>((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'GET',
        lookup,
        signal,
        agent: false,
        headers: {
          'user-agent': 'draft-cli (source fetcher)',
          accept: ACCEPTED_TYPES.join(', '),
          'accept-encoding': 'identity',
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          return resolve({ redirect: res.headers.location, contentType: '', body: Buffer.alloc(0) });
        }
        if (status < 200 || status >= 300) {
          res.resume();
          return reject(
            new RunError(`source ${label}: the server answered ${status}`, {
              hint: 'Check the URL in a browser, or give a saved copy of the page as a file.',
              code: 'source-http',
            }),
          );
        }
        const contentType = (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (!ACCEPTED_TYPES.includes(contentType)) {
          res.resume();
          return reject(
            new UsageError(`source ${label}: unsupported content type "${contentType || 'none'}"`, {
              hint: 'A source is an HTML page, plain text, Markdown or a PDF.',
              code: 'source-refused',
            }),
          );
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > limits.maxBytes) {
          res.destroy();
          return reject(tooLarge(label, limits));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limits.maxBytes) {
            res.destroy();
            reject(tooLarge(label, limits));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ contentType, body: Buffer.concat(chunks) }));
        res.on('error', (error) => reject(signal.aborted ? abortReason(signal, label, limits) : networkError(label, error)));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException & { address?: string }) => {
      if (error.code === 'EDRAFTPRIVATE') {
        return reject(
          new UsageError(`source ${label}: ${url.hostname} resolves to a private or loopback address (${error.address})`, {
            hint: PRIVATE_HINT,
            code: 'source-refused',
          }),
        );
      }
      reject(signal.aborted ? abortReason(signal, label, limits) : networkError(label, error));
    });
    req.end();
  });
}

function refused(address: string, limits: FetchLimits): boolean {
  return !limits.allowPrivate && isPrivateAddress(address) && !limits.allowAddress?.(address);
}

function tooLarge(label: string, limits: FetchLimits): UsageError {
  return new UsageError(`source ${label}: larger than the ${Math.round(limits.maxBytes / 1024)} KiB cap`, {
    hint: 'Give a smaller page, or the relevant part saved as a file.',
    code: 'source-refused',
  });
}

function abortReason(signal: AbortSignal, label: string, limits: FetchLimits): Error {
  if ((signal.reason as Error | undefined)?.name === 'TimeoutError') {
    return new RunError(`source ${label}: no complete answer within ${limits.timeoutMs / 1000} s`, {
      hint: 'Try again later, or give a saved copy of the page as a file.',
      code: 'source-timeout',
    });
  }
  return new InterruptedError();
}

function networkError(label: string, error: Error & { code?: string }): RunError {
  return new RunError(`source ${label}: cannot fetch it (${error.code ?? error.message})`, {
    hint: 'Check the URL and your network, or pass --skip-bad-sources to draft without it.',
    code: 'source-network',
  });
}
