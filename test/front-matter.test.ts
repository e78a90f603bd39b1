import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createYamlFrontMatter,
  parseSource,
  renderSource,
  setFrontMatterKeys,
  type SourceFile,
} from '../src/core/document/front-matter.js';
import { RunError, UsageError } from '../src/core/errors.js';

const fixtureDir = new URL('./fixtures/posts/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, fixtureDir), 'utf8');

function usageErrorOf(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

/** Applies the change and returns the whole new file. */
function edit(src: SourceFile, changes: Record<string, unknown>): string {
  return renderSource(src, setFrontMatterKeys(src, changes, 'post.md'), src.body);
}

describe('parseSource', () => {
  it.each(readdirSync(fixtureDir).filter((name) => name.endsWith('.md')))('round-trips %s byte for byte', (name) => {
    const text = fixture(name);
    const src = parseSource(text, name);
    expect(renderSource(src, src.frontMatter, src.body)).toBe(text);
  });

  it('reads YAML with dates kept as the strings written', () => {
    const src = parseSource(fixture('yaml-comments.md'), 'post.md');
    expect(src.format).toBe('yaml');
    expect(src.data).toMatchObject({
      title: 'DeepSeek’s Disruption: The Financial Ripple in the AI Ecosystem',
      date: '2025-01-28',
      lastmod: '2025-01-29T08:30:00+01:00',
      draft: false,
      tags: ['ai', 'markets', 'nvidia'],
      author: { name: 'Manolo', url: 'https://example.com/manolo' },
      weight: 10,
    });
    expect(src.frontMatter.endsWith('weight: 10\n---\n')).toBe(true);
    expect(src.body.startsWith('If recent headlines')).toBe(true);
  });

  it('never produces a Date, even for an explicit timestamp tag', () => {
    const src = parseSource('---\ndate: !!timestamp 2024-03-05\nplain: 2024-03-05\n---\nBody\n', 'post.md');
    expect(src.data).toEqual({ date: '2024-03-05', plain: '2024-03-05' });
  });

  it('keeps the BOM and CRLF and parses the same data', () => {
    const text = fixture('crlf-bom.md');
    const src = parseSource(text, 'post.md');
    expect(src.bom).toBe(true);
    expect(src.eol).toBe('\r\n');
    expect(src.frontMatter.startsWith('---\r\n')).toBe(true);
    expect(src.frontMatter.endsWith('---\r\n')).toBe(true);
    expect(src.data).toEqual(parseSource(fixture('yaml-comments.md'), 'post.md').data);
    expect(src.data.tags).toEqual(['ai', 'markets', 'nvidia']); // no stray "\r" on any value
  });

  it('reads Hugo TOML with datetimes as the exact strings written and shortcodes left in the body', () => {
    const src = parseSource(fixture('toml-hugo.md'), 'post.md');
    expect(src.format).toBe('toml');
    expect(src.data).toMatchObject({
      title: 'Behind the Innovation',
      date: '2025-01-28T09:00:00Z',
      publishDate: '2025-01-28',
      expiry: '1979-05-27T07:32:00.5-08:00',
      draft: true,
      multi: 'line one\nline two',
      params: { hero: '/img/hero.png' },
      draft_state: { status: 'drafting', created: '2025-01-27T10:00:00Z', log: [{ at: '2025-01-27T10:00:00Z', command: 'new' }] },
    });
    expect(src.body).toContain('{{< figure src="/img/pipeline.png" alt="RL pipeline" >}}');
    expect(src.body).toContain('{{% note %}}');
  });

  it('reads JSON front matter, bare (Hugo) and fenced', () => {
    const bare = parseSource(fixture('json-hugo.md'), 'post.md');
    expect(bare.format).toBe('json');
    expect(bare.data).toEqual({
      title: 'Open Source: A Double-Edged Sword',
      date: '2025-01-28',
      tags: ['open-source', 'ai'],
      draft: false,
    });
    expect(bare.body.startsWith('\nDeepSeek')).toBe(true);
    const fenced = parseSource(fixture('json-fenced.md'), 'post.md');
    expect(fenced.format).toBe('json');
    expect(fenced.data.title).toBe("What's Next for the AI Business Landscape?");
  });

  it('treats a file without front matter as all body', () => {
    const text = fixture('no-front-matter.md');
    expect(parseSource(text, 'post.md')).toEqual({ bom: false, eol: '\n', format: 'none', frontMatter: '', data: {}, body: text });
    // A Hugo shortcode opening the body is not JSON front matter.
    expect(parseSource('{{< youtube id >}}\n\nText\n', 'post.md').format).toBe('none');
  });

  it('reports malformed YAML with the line and column in the whole file', () => {
    const error = usageErrorOf(() => parseSource('---\ntitle: ok\ntags: [a, b\nother: x\n---\nBody\n', 'posts/a.md'));
    expect(error.message).toMatch(/^posts\/a\.md:4:1: malformed YAML front matter: /);
    expect(error.message).not.toContain('\n');
    expect(error.hint).toBeTruthy();
    const tab = usageErrorOf(() => parseSource('\uFEFF---\r\ntitle: x\r\n\tdate: y\r\n---\r\n', 'b.md'));
    expect(tab.message).toBe('b.md:3:1: malformed YAML front matter: Tabs are not allowed as indentation');
  });

  it('reports malformed TOML with the line and column in the whole file', () => {
    const error = usageErrorOf(() => parseSource('+++\ntitle = "x"\ndate = = 2024\n+++\n', 'c.md'));
    expect(error.message).toBe('c.md:3:8: malformed TOML front matter: invalid value');
  });

  it('reports malformed JSON with the line and column in the whole file', () => {
    expect(usageErrorOf(() => parseSource('{\n  "title": "x",\n}\nBody\n', 'd.md')).message).toBe(
      'd.md:3:1: malformed JSON front matter: trailing comma before }',
    );
    expect(usageErrorOf(() => parseSource('---json\n{\n  "draft": tru\n}\n---\n', 'e.md')).message).toBe(
      'e.md:3:12: malformed JSON front matter: unexpected "t" where a value should be',
    );
    expect(usageErrorOf(() => parseSource('{ "a": 1 } trailing\n', 'f.md')).message).toBe(
      'f.md:1:12: malformed JSON front matter: unexpected text after the closing }',
    );
  });

  it('rejects an opening fence that is never closed, naming the file', () => {
    expect(usageErrorOf(() => parseSource('---\ntitle: x\n\nBody text\n', 'g.md')).message).toBe(
      'g.md:1:1: the YAML front matter opened here is never closed',
    );
    expect(usageErrorOf(() => parseSource('+++\ntitle = "x"\n', 'h.md')).message).toMatch(/^h\.md:1:1: .*TOML/);
  });

  it('rejects front matter that is not key/value pairs', () => {
    expect(usageErrorOf(() => parseSource('---\n- a\n- b\n---\n', 'i.md')).message).toBe(
      'i.md:2:1: malformed YAML front matter: expected key/value pairs at the top level',
    );
  });
});

describe('setFrontMatterKeys: YAML', () => {
  const text = fixture('yaml-comments.md');
  const src = parseSource(text, 'post.md');

  it('replaces one pair and leaves every other byte alone', () => {
    const out = edit(src, { title: 'A calmer title' });
    const oldLine = 'title: "DeepSeek’s Disruption: The Financial Ripple in the AI Ecosystem"\n';
    expect(out).toBe(text.replace(oldLine, 'title: A calmer title\n'));
  });

  it('keeps an inline comment on a replaced scalar', () => {
    const out = edit(src, { date: '2025-02-01' });
    expect(out).toBe(text.replace('date: 2025-01-28   # publication date', 'date: 2025-02-01   # publication date'));
  });

  it('replaces a nested block and deletes and appends keys', () => {
    const state = { status: 'revised', sections: [{ heading: 'Who is DeepSeek?', hash: 'abc123' }], updated: '2025-02-01T10:00:00Z' };
    const out = edit(src, { author: { name: 'M.' }, weight: undefined, draft_state: state });
    const expected = text
      .replace('author:\n  name: Manolo\n  # nested comment\n  url: https://example.com/manolo\n', 'author:\n  name: M.\n')
      .replace(
        'weight: 10\n---\n',
        'draft_state:\n  status: revised\n  sections:\n    - heading: Who is DeepSeek?\n' +
          '      hash: abc123\n  updated: 2025-02-01T10:00:00Z\n---\n',
      );
    expect(out).toBe(expected);
    const reread = parseSource(out, 'post.md');
    expect(reread.data.draft_state).toEqual(state);
    expect(reread.data.weight).toBeUndefined();
    expect(reread.body).toBe(src.body);
  });

  it('is stable when the same change is applied twice', () => {
    const once = edit(src, { draft_state: { status: 'new', log: [{ at: '2025-02-01' }] } });
    const twice = edit(parseSource(once, 'post.md'), { draft_state: { status: 'new', log: [{ at: '2025-02-01' }] } });
    expect(twice).toBe(once);
  });

  it('writes CRLF into a CRLF file and keeps the BOM', () => {
    const crlf = parseSource(fixture('crlf-bom.md'), 'post.md');
    const out = edit(crlf, { title: 'Windows', draft_state: { status: 'new' } });
    expect(out.startsWith('\uFEFF---\r\n')).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(out).toContain('title: Windows\r\n');
    expect(out).toContain('draft_state:\r\n  status: new\r\n---\r\n');
    expect(parseSource(out, 'post.md').data.title).toBe('Windows');
  });

  it('quotes strings that YAML 1.1 readers would turn into booleans, keeps dates plain', () => {
    const out = setFrontMatterKeys(src, { title: 'yes', published: '2025-02-01' });
    expect(out).toContain('title: "yes"\n');
    expect(out).toContain('published: 2025-02-01\n');
  });

  it('adds a YAML block to a file without front matter', () => {
    const plain = parseSource('Just text.\n', 'post.md');
    const block = setFrontMatterKeys(plain, { title: 'T' });
    expect(renderSource(plain, block, plain.body)).toBe('---\ntitle: T\n---\nJust text.\n');
  });
});

describe('setFrontMatterKeys: YAML edge cases', () => {
  it('replaces a key with an empty value and a block scalar', () => {
    const text = '---\nempty:\nsummary: |\n  two\n  lines\nkeep: 1 # note\n---\nBody\n';
    const src = parseSource(text, 'post.md');
    expect(edit(src, { empty: 'now set', summary: 'one line' })).toBe(
      '---\nempty: now set\nsummary: one line\nkeep: 1 # note\n---\nBody\n',
    );
  });

  it('accepts a ---yaml hint and a closing fence with trailing spaces', () => {
    const text = '---yaml\ntitle: x\n---   \nBody\n';
    const src = parseSource(text, 'post.md');
    expect(src.data).toEqual({ title: 'x' });
    expect(edit(src, { title: 'z' })).toBe('---yaml\ntitle: z\n---   \nBody\n');
  });

  it('keeps an indented block consistently indented', () => {
    const src = parseSource('---\n  title: x\n  tags:\n    - a\n---\nB\n', 'post.md');
    expect(setFrontMatterKeys(src, { title: 'y2', draft_state: { a: 1 } })).toBe(
      '---\n  title: y2\n  tags:\n    - a\n  draft_state:\n    a: 1\n---\n',
    );
  });

  it('rewrites a flow-mapping block through the yaml library', () => {
    const src = parseSource('---\n{title: x, tags: [a]}\n---\nBody\n', 'post.md');
    const out = parseSource(edit(src, { title: 'y' }), 'post.md');
    expect(out.data).toEqual({ title: 'y', tags: ['a'] });
    expect(out.body).toBe('Body\n');
  });

  it('refuses an edit that would break the rest of the front matter', () => {
    const src = parseSource('---\nbase: &b\n  a: 1\nother: *b\n---\nBody\n', 'post.md');
    expect(() => setFrontMatterKeys(src, { base: 'plain' }, 'post.md')).toThrow(RunError);
    expect(() => setFrontMatterKeys(src, { base: 'plain' }, 'post.md')).toThrow(/^post\.md: could not update/);
  });

  it('rejects an unknown front matter language', () => {
    expect(usageErrorOf(() => parseSource('---coffee\na: 1\n---\n', 'j.md')).message).toBe(
      'j.md:1:4: unsupported front matter language "coffee"',
    );
  });
});

describe('setFrontMatterKeys: TOML', () => {
  const text = fixture('toml-hugo.md');
  const src = parseSource(text, 'post.md');

  it('replaces a top-level line in place, keeping its comment and the rest', () => {
    const out = edit(src, { title: 'Inside R1' });
    expect(out).toBe(text.replace('title = "Behind the Innovation"   # Hugo title', 'title = "Inside R1"   # Hugo title'));
  });

  it('writes date strings as TOML dates and appends new keys before the first table', () => {
    const out = edit(src, { lastmod: '2025-02-01', reviewed: '2025-02-01T10:00:00Z' });
    expect(out).toBe(text.replace('line two"""\n', 'line two"""\nlastmod = 2025-02-01\nreviewed = 2025-02-01T10:00:00Z\n'));
    expect(parseSource(out, 'post.md').data).toMatchObject({ lastmod: '2025-02-01', reviewed: '2025-02-01T10:00:00Z' });
  });

  it('replaces the machine-state table block at the end, leaving other tables alone', () => {
    const state = {
      status: 'revised',
      created: '2025-01-27T10:00:00Z',
      log: [
        { at: '2025-01-27T10:00:00Z', command: 'new' },
        { at: '2025-02-01T10:00:00Z', command: 'revise', sections: ['Benchmarks'] },
      ],
    };
    const out = edit(src, { draft_state: state });
    const before = text.slice(0, text.indexOf('[draft_state]'));
    expect(out).toBe(
      before +
        '[draft_state]\nstatus = "revised"\ncreated = 2025-01-27T10:00:00Z\n\n' +
        '[[draft_state.log]]\nat = 2025-01-27T10:00:00Z\ncommand = "new"\n\n' +
        '[[draft_state.log]]\nat = 2025-02-01T10:00:00Z\ncommand = "revise"\nsections = [ "Benchmarks" ]\n' +
        '+++\n' +
        src.body,
    );
    const reread = parseSource(out, 'post.md');
    expect(reread.data.draft_state).toEqual(state);
    expect(reread.data.params).toEqual({ hero: '/img/hero.png' });
    expect(reread.body).toBe(src.body);
    // Applying it again changes nothing.
    expect(edit(reread, { draft_state: state })).toBe(out);
  });

  it('deletes keys and tables', () => {
    const out = edit(src, { tags: undefined, draft_state: undefined });
    expect(out).not.toContain('tags =');
    expect(out).not.toContain('draft_state');
    expect(out).toContain('[params]\nhero = "/img/hero.png"\n');
  });
});

describe('setFrontMatterKeys: JSON', () => {
  it("edits only the changed keys: untouched values keep their bytes, new ones use the file's indentation", () => {
    const text = fixture('json-hugo.md');
    const src = parseSource(text, 'post.md');
    const out = edit(src, { title: 'New', draft_state: { status: 'new' } });
    expect(out).toBe(
      '{\n    "title": "New",\n    "date": "2025-01-28",\n    "tags": ["open-source", "ai"],\n' +
        '    "draft": false,\n    "draft_state": {\n        "status": "new"\n    }\n}\n' +
        src.body,
    );
  });

  it('keeps number spellings and one-line arrays it was not asked to change, CRLF included', () => {
    const text = '---json\r\n{\r\n  "weight": 1.50,\r\n  "tags": ["a", "b"],\r\n  "title": "Old"\r\n}\r\n---\r\nBody\r\n';
    const src = parseSource(text, 'post.md');
    expect(setFrontMatterKeys(src, { title: 'New' })).toBe(
      '---json\r\n{\r\n  "weight": 1.50,\r\n  "tags": ["a", "b"],\r\n  "title": "New"\r\n}\r\n---\r\n',
    );
  });

  it('keeps the ---json fences', () => {
    const src = parseSource(fixture('json-fenced.md'), 'post.md');
    const block = setFrontMatterKeys(src, { date: undefined });
    expect(block).toBe('---json\n{\n  "title": "What\'s Next for the AI Business Landscape?"\n}\n---\n');
  });
});

describe('createYamlFrontMatter', () => {
  it('writes keys in order, block style, dates that read back as the same strings', () => {
    const data = {
      title: 'DeepSeek: "R1" explained',
      date: '2025-01-28',
      updated: '2025-01-28T09:00:00Z',
      draft: true,
      tags: ['ai', 'no'],
      draft_state: { version: 1, log: [{ at: '2025-01-28T09:00:00Z', event: 'new' }] },
    };
    const block = createYamlFrontMatter(data);
    expect(block).toBe(
      '---\n' +
        'title: "DeepSeek: \\"R1\\" explained"\n' +
        'date: 2025-01-28\n' +
        'updated: 2025-01-28T09:00:00Z\n' +
        'draft: true\n' +
        'tags:\n  - ai\n  - "no"\n' +
        'draft_state:\n  version: 1\n  log:\n    - at: 2025-01-28T09:00:00Z\n      event: new\n' +
        '---\n',
    );
    expect(parseSource(`${block}Body\n`, 'post.md').data).toEqual(data);
  });

  it('honours CRLF and skips undefined values', () => {
    expect(createYamlFrontMatter({ title: 'T', summary: undefined }, '\r\n')).toBe('---\r\ntitle: T\r\n---\r\n');
  });
});
