/**
 * A real HTTP server on 127.0.0.1 serving the pages the source tests fetch: an article wrapped in
 * scripts and boilerplate, plain text, a PDF, redirects (chains, loops, to another address), a huge page,
 * a slow page and an unsupported type. It records every request's path and headers.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makePdf } from './make-pdf.js';

export interface PageServer {
  url: string;
  port: number;
  requests: { path: string; headers: IncomingHttpHeaders }[];
  /** Serve `body` at `path` with a content type (replaces a built-in route of that path). */
  page(path: string, body: string | Buffer, contentType?: string): void;
  close(): Promise<void>;
}

export const ARTICLE_FIGURES = {
  drop: '17%',
  value: '$593 billion',
  aime: '79.8%',
  math: '97.3%',
};

export function articleHtml(title: string, paragraphs: string[]): string {
  return `<!doctype html><html><head><title>${title} | Example News</title>
<script>document.title = 'pwned'; fetch('http://169.254.169.254/latest/meta-data/');</script>
<style>body { color: red }</style></head><body>
<nav><a href="/">Home</a> · <a href="/markets">Markets</a> · <a href="/tech">Tech</a></nav>
<div class="cookie-banner">We use cookies. Accept all?</div>
<article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</article>
<aside><h3>Most read</h3><ul><li>Ten gadgets under $50</li><li>Win 1,000,000 points today</li></ul></aside>
<footer>© 2025 Example News. All rights reserved.</footer>
<script>document.body.innerHTML = 'SCRIPT RAN';</script></body></html>`;
}

export const MARKET_ARTICLE = articleHtml('Nvidia loses $593 billion as DeepSeek rattles markets', [
  'Nvidia shares fell 17% on Monday, wiping roughly $593 billion off its ' +
    'market value, the biggest one-day loss for any company in US history.',
  'Investors worried that DeepSeek, a Chinese start-up, had built a competitive ' +
    'model for a fraction of the usual cost, which could cut demand for high-end chips.',
  'Other chipmakers followed: Broadcom dropped 17.4% and the Nasdaq fell 3.1% over the session, analysts said.',
]);

export const BENCHMARK_ARTICLE = articleHtml('DeepSeek-R1 benchmark results', [
  'DeepSeek-R1 scored 79.8% on AIME 2024, slightly ahead of OpenAI o1, and 97.3% on MATH-500.',
  'The model is released under the MIT licence, and its distilled versions run on a single GPU.',
]);

export async function startPageServer(): Promise<PageServer> {
  const custom = new Map<string, { body: string | Buffer; type: string }>();
  const requests: PageServer['requests'] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, headers: req.headers });
    const own = custom.get(path);
    if (own) {
      res.writeHead(200, { 'content-type': own.type, 'set-cookie': 'session=abc123' });
      return res.end(own.body);
    }
    const redirect = /^\/redirect\/(\d+)$/.exec(path);
    if (redirect) {
      const left = Number(redirect[1]);
      res.writeHead(302, { location: left > 0 ? `/redirect/${left - 1}` : '/market', 'set-cookie': 'tracker=1' });
      return res.end();
    }
    if (path.startsWith('/redirect-to?')) {
      res.writeHead(301, { location: new URL(path, base).searchParams.get('url') ?? '/' });
      return res.end();
    }
    switch (path) {
      case '/market':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': 'session=abc123' });
        return res.end(MARKET_ARTICLE);
      case '/benchmarks':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(BENCHMARK_ARTICLE);
      case '/notes.txt':
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        return res.end('Training cost: DeepSeek says V3 cost $5.6 million to train.\n');
      case '/earnings.pdf':
        res.writeHead(200, { 'content-type': 'application/pdf' });
        return res.end(
          makePdf(
            ['Nvidia fourth-quarter revenue was $39.3 billion, up 78% from a year ago.', 'Data center revenue was $35.6 billion.'],
            'Nvidia Q4 earnings',
          ),
        );
      case '/huge': {
        res.writeHead(200, { 'content-type': 'text/html' });
        const chunk = `<p>${'filler '.repeat(1000)}</p>`;
        let sent = 0;
        const pump = () => {
          while (sent < 64 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => (sent = Infinity));
        return pump();
      }
      case '/slow':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<html><body><p>Starting');
        return; // never finished; the client's deadline ends it
      case '/image.png':
        res.writeHead(200, { 'content-type': 'image/png' });
        return res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    port,
    requests,
    page: (path, body, type = 'text/html; charset=utf-8') => custom.set(path, { body, type }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
