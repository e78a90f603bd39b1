/**
 * Issue 15, "no wasted work": a draft's Markdown is parsed once per text. A part's reply is word-counted
 * when it arrives and then composed (and checked for links) from the same parse; the shared tree is
 * never changed by the callers that share it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { composeBody } from '../src/core/drafting/compose.js';
import { countWords, loadMarkdown, parseShared } from '../src/core/markdown.js';
import { runDraft } from './support/run-command.js';
import { seedNewArgs } from './support/seed-brief.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('startup-parse-once-');

afterEach(() => vi.restoreAllMocks());

describe('a draft parses its Markdown once per text', () => {
  it('draft new with a link: each part and the composed body are parsed once, not once per reader (word count, links, compose, figures)', async () => {
    const md = await loadMarkdown();
    const parse = vi.spyOn(md, 'parse');
    const result = await runDraft([...seedNewArgs(), '--sections', '5', '--yes', '--base-url', server().url, '--retries', '0'], {
      cwd: tempDir(),
      env: { OPENAI_API_KEY: 'sk-test' },
    });
    expect(result.code, result.stderr).toBe(0);
    const texts = parse.mock.calls.map(([text]) => text);
    // Six parts (introduction + five sections) and the composed body once (its figures, its sections
    // and its word count share that parse), and no text twice.
    expect(texts.length).toBeLessThanOrEqual(7);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('composing a part does not change the tree its word count shared: the heading is demoted in the post only', async () => {
    const part = `# A heading the model used\n\nSome words about nonce${Math.floor(Math.random() * 1e9)}.\n`;
    expect(await countWords(part)).toBe(9);
    const body = await composeBody([{ heading: 'The Section', markdown: part }]);
    expect(body).toContain('### A heading the model used');
    const shared = await parseShared(part);
    expect(shared.children[0]).toMatchObject({ type: 'heading', depth: 1 });
    // And the same part composed again still comes out the same.
    expect(await composeBody([{ heading: 'The Section', markdown: part }])).toBe(body);
  });
});

describe('front matter quoting skips the YAML 1.1 parser only for values it would read as strings', () => {
  it('every value still reads back as the same string in YAML 1.1 and 1.2, words like Yes and on quoted', async () => {
    const { yamlText } = await import('../src/core/document/front-matter-yaml.js');
    const { parse } = await import('yaml');
    const values = [
      'Yes',
      'on',
      'OFF',
      'n',
      'Null',
      'e8fd16eb57d73ad6',
      '7091e9940b822c36',
      '1e3',
      '0x1F',
      '190:20:30',
      '.inf',
      '+12',
      '2026-12-01',
      'Part 1: The Market',
      'Plain words, commas (and marks)',
      'DeepSeek’s rise',
      'a - b',
      'x #y',
      '~',
      'yes please',
      'Über-AI',
    ];
    const text = yamlText(Object.fromEntries(values.map((v, i) => [`k${i}`, v])));
    for (const version of ['1.1', '1.2'] as const) {
      const read = parse(text, { version }) as Record<string, unknown>;
      values.forEach((v, i) => {
        // A date-like string stays plain on purpose (generators read it as a date).
        if (v === '2026-12-01') return;
        expect(read[`k${i}`], `${v} in YAML ${version}`).toBe(v);
      });
    }
    expect(text).toContain('k0: "Yes"');
    expect(text).toContain(`k${values.indexOf('e8fd16eb57d73ad6')}: e8fd16eb57d73ad6\n`);
  });

  it('content hashes, numbers in disguise and log timestamps: random ones read back as written in YAML 1.1', async () => {
    const { yamlText } = await import('../src/core/document/front-matter-yaml.js');
    const { parse } = await import('yaml');
    let seed = 15;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = (chars: string, n: number) => Array.from({ length: n }, () => chars[Math.floor(next() * chars.length)]).join('');
    const values = [
      ...Array.from({ length: 300 }, () => pick('0123456789abcdef', 1 + Math.floor(next() * 16))),
      ...Array.from({ length: 300 }, () => pick('0123456789eExXbBoO', 1 + Math.floor(next() * 6))),
      ...Array.from({ length: 300 }, () => pick('eEnNyYo0123456789_.-', 1 + Math.floor(next() * 6))),
      '0x1f',
      '0b101',
      '1e5',
      '12E3',
      '0o17',
      '2026-12-01T09:49:36.794Z',
      '2026-12-01T09:49:36Z',
    ];
    const text = yamlText(Object.fromEntries(values.map((v, i) => [`k${i}`, v])));
    const read = parse(text, { version: '1.1' }) as Record<string, unknown>;
    values.forEach((v, i) => {
      const got = read[`k${i}`];
      if (/^\d{4}-\d{2}-\d{2}T/.test(v)) expect(got, v).toBeInstanceOf(Date);
      else expect(got, v).toBe(v);
    });
  });
});
