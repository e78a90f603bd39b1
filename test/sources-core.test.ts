import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../src/core/sources/address-policy.js';
import { resolveCitations } from '../src/core/sources/citations.js';
import { evidenceFrom, extractFigures, isTraced } from '../src/core/sources/figures.js';
import { loadSources } from '../src/core/sources/load-sources.js';
import { splitPassages } from '../src/core/sources/passages.js';
import { safeFetch, type FetchLimits } from '../src/core/sources/safe-fetch.js';
import { SourceContext } from '../src/core/sources/source-context.js';
import { postFigures, traceFigures } from '../src/core/sources/trace-figures.js';
import { makePdf } from './support/make-pdf.js';
import { startPageServer, type PageServer } from './support/page-server.js';

let pages: PageServer;
beforeAll(async () => {
  pages = await startPageServer();
});
afterAll(() => pages.close());

// The page server is on 127.0.0.1, which the default policy refuses: tests let exactly that address through.
const LOOPBACK_ONLY: FetchLimits = {
  timeoutMs: 5000,
  maxBytes: 1024 * 1024,
  maxRedirects: 5,
  allowPrivate: false,
  allowAddress: (a) => a === '127.0.0.1',
};

describe('the seed post’s figures', () => {
  const seedPost =
    'Nvidia’s stock fell 17% on January 27, 2025, erasing half a trillion dollars in market value. ' +
    'DeepSeek-R1 scored 79.8% on AIME 2024 and 97.3% on MATH-500, and V3 cost $5.6 million to train.';

  it('are found, with the names of models and benchmarks left alone', () => {
    const found = extractFigures(seedPost).map((f) => [f.kind, f.text]);
    expect(found).toEqual([
      ['percent', '17%'],
      ['date', 'January 27, 2025'],
      ['money', 'half a trillion dollars'],
      ['percent', '79.8%'],
      ['year', '2024'],
      ['percent', '97.3%'],
      ['money', '$5.6 million'],
    ]);
  });

  it('are traced to a source that spells them differently', () => {
    const source = evidenceFrom([
      'Shares dropped 17 per cent on 27 January 2025, about $0.5 trillion of ' +
        'value. | AIME 2024 | 79.8 | | MATH-500 | 97.3 | Training cost $5.6m.',
    ]);
    expect(extractFigures(seedPost).filter((f) => !isTraced(f, source))).toEqual([]);
  });

  it('an invented or rounded figure is not traced', () => {
    const source = evidenceFrom(['Shares fell 16.97% on Monday.']);
    const [figure] = extractFigures('Shares fell 17% on Monday.');
    expect(isTraced(figure!, source)).toBe(false);
  });

  it('small whole numbers without a unit are not figures; quotations are, and must match', () => {
    expect(extractFigures('There are three reasons and 5 sections, and GPT-4o runs on H800 chips.')).toEqual([]);
    const quote = extractFigures('He said “this is a wake-up call for the whole American tech industry” today.');
    expect(quote.map((f) => f.kind)).toEqual(['quote']);
    expect(isTraced(quote[0]!, evidenceFrom(['Trump: "This is a wake-up call for the whole American tech industry."']))).toBe(true);
    expect(isTraced(quote[0]!, evidenceFrom(['Trump: "This is a call for the American industry."']))).toBe(false);
  });
});

describe('figures in a post', () => {
  it('skip code, URLs, shortcodes and the notes block, and carry section and line', async () => {
    const body = [
      'Intro with 79.8% in it.',
      '',
      '## Markets',
      '',
      'Nvidia fell 17% ([report](https://example.com/2025/17-percent)). `cost = 500000`',
      '{{< figure src="/img/2024-chart.png" >}}',
      '',
      '```',
      'price = 1234.5',
      '```',
      '',
      '<!-- draft:collaboration-notes -->',
      '## Collaboration notes',
      'Made on 2026-11-28 with $0.0017 of tokens.',
      '<!-- /draft:collaboration-notes -->',
      '',
    ].join('\n');
    const figures = await postFigures(body, 5);
    expect(figures.map((f) => [f.text, f.section?.heading ?? null, f.line])).toEqual([
      ['79.8%', null, 5],
      ['17%', 'Markets', 9],
    ]);
    const report = traceFigures(figures, () => evidenceFrom(['Nvidia fell 17%.']));
    expect(report).toEqual({ total: 2, traced: 1, untraced: [{ text: '79.8%', section: null, line: 5 }] });
  });
});

describe('citations', () => {
  const sources = [
    { number: 1, title: 'Markets [live]', url: 'https://news.example/markets' },
    { number: 2, title: 'Earnings release' },
  ];
  const map = new Map([
    [1, sources[0]!],
    [2, sources[1]!],
    [3, sources[0]!],
  ]);

  it('become links to the source (a local file by its title), and unknown numbers are dropped, not left dead', () => {
    const out = resolveCitations(
      'Nvidia fell 17% [1]. Revenue rose [2, 3]. Invented [7]. Keep `a[1]` and [text](https://x) and [^1].',
      map,
      'links',
    );
    expect(out.text).toBe(
      'Nvidia fell 17% ([Markets \\[live\\]](https://news.example/markets)). Revenue rose (Earnings release; ' +
        '[Markets \\[live\\]](https://news.example/markets)). Invented. Keep `a[1]` and [text](https://x) and [^1].',
    );
    expect(out.cited).toEqual([1, 2]);
    expect(out.unknown).toEqual([7]);
  });

  it('become footnotes when asked', () => {
    expect(resolveCitations('Fell 17% [1].', map, 'footnotes').text).toBe('Fell 17%[^source-1].');
  });
});

describe('passages and excerpts', () => {
  it('a section gets the passages about its heading, numbered, within its budget, however many sources', async () => {
    const filler = (topic: string, n: number) =>
      Array.from({ length: n }, (_, i) => `Paragraph ${i} about ${topic} and other matters of general interest to readers.`).join('\n\n');
    const sources = Array.from({ length: 20 }, (_, i) => ({
      number: i + 1,
      kind: 'file' as const,
      location: `s${i}.md`,
      title: `Source ${i + 1}`,
      text: i === 13 ? `${filler('weather', 3)}\n\nNvidia shares fell 17% as the chip selloff deepened.` : filler('weather', 30),
      snapshot: {} as never,
      offline: false,
    }));
    const context = await SourceContext.create(sources);
    const excerpts = context.excerptsFor('Nvidia chip selloff', 300);
    expect(excerpts.tokens).toBeLessThanOrEqual(300);
    expect(excerpts.text).toMatch(/^\[1\] \(from "Source 14"\)\n/);
    expect(excerpts.passages[0]!.text).toContain('Nvidia shares fell 17%');
    expect(excerpts.map.get(1)?.title).toBe('Source 14');
    expect(context.digest(1500).split('\n')).toHaveLength(20);
  });

  it('long paragraphs are split, short ones merged', () => {
    const long = Array.from({ length: 50 }, (_, i) => `Sentence number ${i} has a few words.`).join(' ');
    const passages = splitPassages(1, `Short one.\n\nShort two.\n\n${long}`);
    expect(passages.length).toBeGreaterThan(2);
    for (const p of passages) expect(p.text.split(/\s+/).length).toBeLessThanOrEqual(170);
    expect(passages[0]!.text).toMatch(/^Short one\.\n\nShort two\./);
  });
});

describe('safe fetching', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
  ])('%s is private', (address) => expect(isPrivateAddress(address)).toBe(true));
  it.each(['93.184.216.34', '2606:4700::1111'])('%s is public', (address) => expect(isPrivateAddress(address)).toBe(false));

  it('refuses loopback by name after DNS resolution, and by address, without sending anything', async () => {
    const before = pages.requests.length;
    const limits = { ...LOOPBACK_ONLY, allowAddress: undefined };
    await expect(safeFetch(`http://localhost:${pages.port}/market`, limits)).rejects.toMatchObject({
      code: 'source-refused',
      exitCode: 2,
      message: expect.stringContaining('resolves to a private or loopback address'),
    });
    await expect(safeFetch(`http://127.0.0.1:${pages.port}/market`, limits)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('private or loopback'),
    });
    await expect(safeFetch('http://169.254.169.254/latest/meta-data/', limits)).rejects.toMatchObject({ exitCode: 2 });
    expect(pages.requests.length).toBe(before);
  });

  it('checks every redirect again: a hop to another private address is refused', async () => {
    await expect(
      safeFetch(`${pages.url}/redirect-to?url=${encodeURIComponent(`http://127.0.0.2:${pages.port}/market`)}`, LOOPBACK_ONLY),
    ).rejects.toMatchObject({ code: 'source-refused' });
    await expect(
      safeFetch(`${pages.url}/redirect-to?url=${encodeURIComponent('file:///etc/passwd')}`, LOOPBACK_ONLY),
    ).rejects.toMatchObject({ message: expect.stringContaining('only http and https') });
  });

  it('follows a bounded number of redirects, sends no cookies back and no credentials', async () => {
    const page = await safeFetch(`${pages.url}/redirect/3`, LOOPBACK_ONLY);
    expect(page.url).toBe(`${pages.url}/market`);
    for (const r of pages.requests.filter((r) => r.path.startsWith('/redirect') || r.path === '/market')) {
      expect(r.headers.cookie).toBeUndefined();
      expect(r.headers.authorization).toBeUndefined();
    }
    await expect(safeFetch(`${pages.url}/redirect/9`, LOOPBACK_ONLY)).rejects.toMatchObject({ code: 'source-redirects', exitCode: 1 });
    await expect(safeFetch(`http://user:pw@127.0.0.1:${pages.port}/market`, LOOPBACK_ONLY)).rejects.toMatchObject({ exitCode: 2 });
  });

  it('caps the bytes, bounds the time and checks the content type', async () => {
    await expect(safeFetch(`${pages.url}/huge`, LOOPBACK_ONLY)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('cap'),
    });
    await expect(safeFetch(`${pages.url}/slow`, { ...LOOPBACK_ONLY, timeoutMs: 300 })).rejects.toMatchObject({
      code: 'source-timeout',
      exitCode: 1,
    });
    await expect(safeFetch(`${pages.url}/image.png`, LOOPBACK_ONLY)).rejects.toMatchObject({
      message: expect.stringContaining('unsupported content type "image/png"'),
    });
    await expect(safeFetch(`${pages.url}/missing`, LOOPBACK_ONLY)).rejects.toMatchObject({ code: 'source-http', exitCode: 1 });
  });
});

describe('loading sources', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'draft-sources-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('extracts the article (no script runs, no boilerplate), a PDF and a Markdown file, and snapshots each', async () => {
    await writeFile(join(dir, 'brief-notes.md'), '# Analyst notes\n\nBroadcom dropped 17.4%.\n');
    await writeFile(join(dir, 'q4.pdf'), makePdf(['Revenue was $39.3 billion, up 78%.'], 'Q4 release'));
    const { sources } = await loadSources(
      [
        { kind: 'url', location: `${pages.url}/market` },
        { kind: 'file', location: 'q4.pdf' },
        { kind: 'file', location: 'brief-notes.md', title: 'Notes' },
      ],
      { cwd: dir, projectRoot: dir, limits: LOOPBACK_ONLY },
    );
    expect(sources.map((s) => [s.number, s.title, s.url ?? null])).toEqual([
      [1, 'Nvidia loses $593 billion as DeepSeek rattles markets', `${pages.url}/market`],
      [2, 'Q4 release', null],
      [3, 'Notes', null],
    ]);
    expect(sources[0]!.text).toContain('Nvidia shares fell 17% on Monday');
    expect(sources[0]!.text).not.toMatch(/SCRIPT RAN|pwned|cookies|Most read|All rights reserved/);
    expect(sources[1]!.text).toContain('$39.3 billion');
    const files = await readdir(join(dir, '.draft', 'sources'));
    expect(files.filter((f) => f.endsWith('.txt'))).toHaveLength(3);
  });

  it('a re-run reads the snapshot offline; --refresh-sources fetches again', async () => {
    const spec = [{ kind: 'url' as const, location: `${pages.url}/benchmarks` }];
    const first = await loadSources(spec, { cwd: dir, projectRoot: dir, limits: LOOPBACK_ONLY });
    const fetches = pages.requests.filter((r) => r.path === '/benchmarks').length;
    const again = await loadSources(spec, { cwd: dir, projectRoot: dir, limits: LOOPBACK_ONLY });
    expect(again.sources[0]).toMatchObject({ offline: true, text: first.sources[0]!.text });
    expect(pages.requests.filter((r) => r.path === '/benchmarks').length).toBe(fetches);
    await loadSources(spec, { cwd: dir, projectRoot: dir, limits: LOOPBACK_ONLY, refresh: true });
    expect(pages.requests.filter((r) => r.path === '/benchmarks').length).toBe(fetches + 1);
  });

  it('reports every bad source at once, or skips them when asked', async () => {
    const specs = [
      { kind: 'url' as const, location: `${pages.url}/image.png` },
      { kind: 'file' as const, location: 'missing.md' },
      { kind: 'url' as const, location: `${pages.url}/market` },
    ];
    await expect(loadSources(specs, { cwd: dir, projectRoot: dir, limits: LOOPBACK_ONLY })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/image\.png.*unsupported content type.*; source missing\.md: no such file/),
    });
    const partial = await loadSources(specs, { cwd: dir, projectRoot: dir, limits: LOOPBACK_ONLY, skipBad: true });
    expect(partial.sources.map((s) => s.number)).toEqual([1]);
    expect(partial.skipped.map((s) => s.location)).toEqual([`${pages.url}/image.png`, 'missing.md']);
  });
});
