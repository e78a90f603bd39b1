import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../src/core/document/front-matter.js';
import { upsertNotesBlock } from '../src/core/document/notes-block.js';
import { contentHash, findSections, parseBody, sectionText, spliceRange, type BodyStructure } from '../src/core/document/sections.js';
import { UsageError } from '../src/core/errors.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/posts/${name}`, import.meta.url), 'utf8');

const headings = (s: BodyStructure): (string | null)[] => s.sections.map((x) => x.heading);

/** Every byte of the body is in the title, a section, the notes block, or whitespace between them. */
function expectContiguous(body: string, s: BodyStructure): void {
  const parts = [...(s.title ? [s.title] : []), ...s.sections, ...(s.notes ? [s.notes] : [])].sort((a, b) => a.start - b.start);
  let pos = 0;
  for (const part of parts) {
    expect(body.slice(pos, part.start).trim()).toBe('');
    pos = part.end;
  }
  expect(body.slice(pos).trim()).toBe('');
}

describe('parseBody', () => {
  it('splits setext and ATX headings, ignores code fences and quotes, keeps ### in its parent', () => {
    const body = fixture('structure.md');
    const s = parseBody(body);
    expect(s.title).toBeUndefined();
    expect(s.sectionDepth).toBe(1);
    expect(headings(s)).toEqual([null, 'Who is DeepSeek?', 'Conclusion']);
    const [lead, who, conclusion] = s.sections;
    expect(sectionText(body, lead!)).toBe('Intro paragraph before any heading, with a shortcode {{< ref "other.md" >}}.\n\n');
    // Depth 1 splits, so the setext H2 "Behind the Innovation" and its ### belong to the H1 section.
    expect(sectionText(body, who!)).toMatch(/^Who is DeepSeek\?\n================\n\nFounded in 2023\./);
    expect(sectionText(body, who!)).toContain('# Not a heading');
    expect(sectionText(body, who!)).toContain('### Test Time Scaling');
    expect(sectionText(body, who!)).toContain('> # quoted heading does not split');
    expect(body.slice(who!.contentStart)).toMatch(/^\nFounded in 2023\./);
    expect(sectionText(body, conclusion!)).toBe('# Conclusion\n\nThe end.\n');
    expect(s.sections.map((x) => x.index)).toEqual([0, 1, 2]);
    expectContiguous(body, s);
  });

  it('uses H2 sections under a lone H1 title, with nested ### inside', () => {
    const src = parseSource(fixture('yaml-comments.md'), 'post.md');
    const body = `# The title\n\n${src.body}`;
    const s = parseBody(body);
    expect(s.title).toEqual({ text: 'The title', start: 0, end: 12 });
    expect(s.sectionDepth).toBe(2);
    expect(headings(s)).toEqual([null, 'Who is DeepSeek?', 'The Market Fallout', 'Conclusion: A Wake-Up Call, Not an Apocalypse']);
    expect(sectionText(body, s.sections[0]!)).toMatch(/^\nIf recent headlines/);
    const market = s.sections[2]!;
    expect(sectionText(body, market)).toContain('### Energy providers');
    expect(body.slice(market.start, market.contentStart)).toBe('## The Market Fallout\n');
    expectContiguous(body, s);
  });

  it('treats a post with no headings as one lead section', () => {
    const body = 'Just one paragraph.\n\nAnd another.\n';
    const s = parseBody(body);
    expect(s.sections).toEqual([{ index: 0, heading: null, depth: 0, start: 0, contentStart: 0, end: body.length }]);
    expect(s.sectionDepth).toBe(2);
    expect(parseBody('').sections).toEqual([]);
  });

  it('omits an empty lead and gives plain heading text', () => {
    const body = '## Why *this* `matters` [now](https://x.y)\n\ntext\n## Next\n';
    const s = parseBody(body);
    expect(headings(s)).toEqual(['Why this matters now', 'Next']);
    expect(s.sections[0]!.start).toBe(0);
  });

  it('keeps several H1s as sections (no title)', () => {
    const s = parseBody('# One\n\na\n\n# Two\n\nb\n');
    expect(s.title).toBeUndefined();
    expect(headings(s)).toEqual(['One', 'Two']);
  });

  it('reports the notes block and keeps it (and its headings) out of the sections', () => {
    const src = parseSource(fixture('toml-hugo.md'), 'post.md');
    const body = upsertNotesBlock(src.body, '## Collaboration notes\n\n- Manolo asked for benchmarks.', '\n');
    const s = parseBody(body);
    expect(headings(s)).toEqual([null, 'Benchmarks', 'A Geopolitical Lens']);
    expect(s.notes).toBeDefined();
    const last = s.sections.at(-1)!;
    expect(last.end).toBe(s.notes!.start);
    expect(sectionText(body, last)).toBe('## A Geopolitical Lens\n\nThe rise of DeepSeek cannot be viewed in isolation.\n\n');
    expect(body.slice(s.notes!.start, s.notes!.end)).toMatch(/^<!-- draft:collaboration-notes -->\n## Collaboration notes/);
    // Hugo shortcodes are plain text and stay in their section.
    expect(sectionText(body, s.sections[0]!)).toContain('{{< figure src="/img/pipeline.png" alt="RL pipeline" >}}');
    expect(sectionText(body, s.sections[1]!)).toContain('{{% /note %}}');
  });

  it('reads a body that opens with a --- rule as Markdown, not front matter', () => {
    const body = '---\n\nOpening words.\n\n## Middle\n\nText.\n\n---\n\n## End\n\nBye.\n';
    expect(headings(parseBody(body))).toEqual([null, 'Middle', 'End']);
  });

  it('accepts a whole file and skips its front matter', () => {
    const text = '---\ntitle: x\n---\n\n## One\n\na\n';
    const s = parseBody(text);
    expect(headings(s)).toEqual(['One']);
    expect(s.sections[0]!.start).toBe(text.indexOf('## One'));
  });

  it('uses JS string offsets with CRLF and non-ASCII text', () => {
    const body = 'Café ☕ intro\r\n\r\n## Ça va?\r\n\r\ntext 🎉\r\n';
    const s = parseBody(body);
    const section = s.sections[1]!;
    expect(section.heading).toBe('Ça va?');
    expect(body.slice(section.start, section.contentStart)).toBe('## Ça va?\r\n');
    expect(sectionText(body, section)).toBe('## Ça va?\r\n\r\ntext 🎉\r\n');
  });
});

describe('findSections', () => {
  const structure = parseBody(
    '## Introduction\n\na\n\n## Intro to RL\n\nb\n\n## The Market\n\nc\n\n## Market Fallout\n\nd\n\n## Conclusion\n\ne\n',
  );

  it('matches case-insensitively, exact match first, then a unique prefix', () => {
    expect(findSections(structure, ['the market'], 'post.md').map((s) => s.heading)).toEqual(['The Market']);
    expect(findSections(structure, ['CONC', 'market f'], 'post.md').map((s) => s.heading)).toEqual(['Conclusion', 'Market Fallout']);
    expect(findSections(structure, ['introduction'], 'post.md').map((s) => s.heading)).toEqual(['Introduction']);
  });

  it('returns each section once, in query order', () => {
    expect(findSections(structure, ['conclusion', 'conc', 'the market'], 'post.md').map((s) => s.index)).toEqual([4, 2]);
  });

  it('rejects an ambiguous prefix, listing the matches', () => {
    const error = (() => {
      try {
        findSections(structure, ['intro'], 'post.md');
      } catch (e) {
        return e as UsageError;
      }
      throw new Error('expected an error');
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('post.md: "intro" matches several sections: "Introduction", "Intro to RL"');
    expect(error.hint).toContain('"Conclusion"');
  });

  it('rejects an unknown heading, listing the headings the post has', () => {
    const error = (() => {
      try {
        findSections(structure, ['Benchmarks'], 'post.md');
      } catch (e) {
        return e as UsageError;
      }
      throw new Error('expected an error');
    })();
    expect(error.message).toBe('post.md: no section matches "Benchmarks"');
    expect(error.hint).toContain('\n  @1 "Introduction"\n  @2 "Intro to RL"\n  @3 "The Market"\n  @4 "Market Fallout"\n  @5 "Conclusion"');
  });

  it('explains when the post has no headings at all', () => {
    expect(() => findSections(parseBody('text only\n'), ['x'], 'p.md')).toThrow(UsageError);
    expect(findSections(parseBody('text only\n'), [], 'p.md')).toEqual([]);
  });
});

describe('contentHash and spliceRange', () => {
  it('ignores line endings and trailing whitespace, nothing else', () => {
    const hash = contentHash('## A\n\nText here.\n');
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(contentHash('## A\r\n\r\nText here.  \r\n\r\n\r\n')).toBe(hash);
    expect(contentHash('## A\n\nText here!\n')).not.toBe(hash);
    expect(contentHash('## A\n\n  Text here.\n')).not.toBe(hash);
  });

  it('splices exactly one range and rejects bad ranges', () => {
    const body = '## A\n\nold\n\n## B\n\nkeep\n';
    const [a] = parseBody(body).sections;
    const out = spliceRange(body, a!.contentStart, a!.end, '\nnew text\n\n');
    expect(out).toBe('## A\n\nnew text\n\n## B\n\nkeep\n');
    expect(() => spliceRange(body, 5, 2, '')).toThrow(RangeError);
    expect(() => spliceRange(body, 0, body.length + 1, '')).toThrow(RangeError);
  });
});

describe('findSections: the introduction', () => {
  const body = 'Lead paragraph.\n\n## Market\n\nText.\n\n## Money\n\nMore.\n';
  it('"introduction", "intro" or "lead" name the text before the first heading', () => {
    const structure = parseBody(body);
    for (const name of ['introduction', 'Intro', 'lead']) {
      const [found] = findSections(structure, [name], 'post.md');
      expect(found!.heading).toBeNull();
      expect(body.slice(found!.start, found!.end)).toBe('Lead paragraph.\n\n');
    }
  });
  it('a heading really called Introduction wins', () => {
    const structure = parseBody('Lead.\n\n## Introduction\n\nReal one.\n');
    expect(findSections(structure, ['introduction'], 'post.md')[0]!.heading).toBe('Introduction');
  });
  it('a post with no lead has no introduction to name', () => {
    expect(() => findSections(parseBody('## Market\n\nText.\n'), ['intro'], 'post.md')).toThrow(/no section matches "intro"/);
  });
});
