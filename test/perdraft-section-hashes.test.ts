/**
 * A new draft's section hashes come from the composed post's tree, without parsing the notes block
 * (parseBodyBeforeNotes). They must be exactly what parseBody gives on the whole body, which is what a
 * later `draft revise` or `draft check` reads back: these tests compare the two over varied posts.
 */
import { describe, expect, it } from 'vitest';
import { upsertNotesBlock, type NotesMarkerStyle } from '../src/core/document/notes-block.js';
import { hashSections } from '../src/core/document/section-hashes.js';
import { contentHash, parseBody, parseBodyBeforeNotes, sectionText } from '../src/core/document/sections.js';
import { parseShared } from '../src/core/markdown.js';

const NOTES = [
  '## Collaboration notes',
  '',
  'In this collaboration, the editor directed and the AI (gpt-4o-mini) drafted.',
  '',
  '**The editor provided:**',
  '',
  '- The topic: “Gardens”.',
  '',
  '### Not a section',
  '',
  '```',
  '## nor this',
  '```',
].join('\n');

/** The body exactly as renderDraftFile lays it out under the front matter. */
function bodyOf(composed: string, notes = NOTES, style?: NotesMarkerStyle): string {
  return `\n${upsertNotesBlock(composed, notes, '\n', style)}`;
}

/** What a later command computes from the file: a fresh whole parse. */
function slowHashes(body: string): { heading: string | null; hash: string }[] {
  return parseBody(body).sections.map((s) => ({ heading: s.heading, hash: contentHash(sectionText(body, s)) }));
}

const POSTS: Record<string, string> = {
  'an introduction and sections': 'Lead paragraph.\n\n## First\n\nText one.\n\n## Second\n\nText two.\n',
  'code fences holding headings':
    'Lead.\n\n## Code\n\n```md\n## Not a heading\n# Nor this\n```\n\n~~~\n## still code\n~~~\n\n## After\n\nEnd.\n',
  'headings inside lists and quotes':
    'Lead.\n\n## Real\n\n- ## In a list\n- item\n\n> ## In a quote\n> more\n\n1. ### Numbered\n\n## Also real\n\nx\n',
  'setext headings': 'Setext title\n============\n\nLead.\n\nA setext section\n----------------\n\nText.\n\n## ATX\n\nText.\n',
  'a lone H1 title and nested headings': '# The title\n\nLead.\n\n## One\n\n### One point one\n\nDeep.\n\n#### Deeper\n\n## Two\n\nText.\n',
  'a deeper heading before a shallower one': '#### Small first\n\nx\n\n## Big\n\ny\n\n### Under big\n\nz\n',
  'trailing definitions and footnotes':
    'Lead with a [ref] and a note[^1].\n\n## Sources\n\nSee [docs].\n\n[ref]: https://example.com/ref\n[docs]: https://example.com/docs\n\n[^1]: The footnote.\n',
  'a heading whose link resolves in the post': 'Lead.\n\n## See [docs] now\n\nText.\n\n[docs]: https://example.com/docs\n',
  'a post opening with a rule, like front matter': '---\n\ntitle: not front matter\n\n---\n\nLead.\n\n## Section\n\nText.\n',
  'tables, HTML and rules': 'Lead.\n\n## Table\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n<div>\n## html\n</div>\n\n***\n\n## End\n\nx\n',
  'trailing blank lines': 'Lead.\n\n## Only\n\nText.\n\n\n\n',
  'no trailing line break': 'Lead.\n\n## Only\n\nText.',
  'MDX content': 'import { Chart } from "./chart";\n\nLead {/* a comment */}.\n\n## Chart\n\n<Chart data={[1, 2]} />\n\n## After\n\nx\n',
  'an unclosed HTML comment at the end': 'Lead.\n\n## Open\n\n<!-- never closed\n\nstill comment\n',
  'an unclosed fence inside a list': 'Lead.\n\n## List\n\n- ```\n  code that never closes\n',
  'only headings, no lead': '## A\n\n## B\n\n### C\n',
  'a heading with emphasis and code': 'Lead.\n\n## The *Market*’s `code` and [a link](https://x.test)\n\nText.\n',
  'indented code ending the post': 'Lead.\n\n## Code\n\n    ## indented code\n    more\n',
};

describe('section hashes of a new draft: the composed tree gives what parseBody gives', () => {
  let caseNumber = 0;
  for (const [name, composed] of Object.entries(POSTS)) {
    for (const style of [undefined, 'mdx'] as const) {
      for (const shared of [false, true]) {
        it(`${name}${style ? ', MDX markers' : ''}${shared ? ', tree shared by markdown.ts' : ''}`, async () => {
          // Each case's post is its own text, so no earlier case's tree is reused by accident.
          const text = `${composed}\n\nCase ${++caseNumber}.\n`;
          if (shared) await parseShared(text);
          const body = bodyOf(text, NOTES, style);
          const fast = parseBodyBeforeNotes(body, text);
          // The fast path is taken for every one of these posts (else this test would prove nothing).
          expect(fast).toBeDefined();
          expect(fast).toEqual(parseBody(body));
          expect(hashSections(body, text)).toEqual(slowHashes(body));
        });
      }
    }
  }
});

describe('section hashes of a new draft: bodies the composed tree cannot speak for are parsed whole', () => {
  it('a definition in the notes that resolves a reference in a heading before them', () => {
    const composed = 'Lead.\n\n## See [docs]\n\nText.\n';
    const body = bodyOf(composed, `${NOTES}\n\n[docs]: https://example.com/docs`);
    // The whole parse links the heading's [docs]: its text is "See docs", not "See [docs]".
    expect(slowHashes(body).map((s) => s.heading)).toEqual([null, 'See docs']);
    expect(parseBodyBeforeNotes(body, composed)).toBeUndefined();
    expect(hashSections(body, composed)).toEqual(slowHashes(body));
  });

  it('a fence left open by the post, which hides the notes from findNotesBlock', () => {
    const composed = 'Lead.\n\n## Code\n\n```\nnever closed\n';
    const body = bodyOf(composed);
    expect(parseBodyBeforeNotes(body, composed)).toBeUndefined();
    expect(hashSections(body, composed)).toEqual(slowHashes(body));
  });

  it('a post that holds a notes block of its own (the new notes replace it)', () => {
    const composed = 'Lead.\n\n<!-- draft:collaboration-notes -->\nold\n<!-- /draft:collaboration-notes -->\n\n## After\n\nText.\n';
    const body = bodyOf(composed);
    expect(parseBodyBeforeNotes(body, composed)).toBeUndefined();
    expect(hashSections(body, composed)).toEqual(slowHashes(body));
  });

  it('text after the notes block, or Markdown that is not the body before them', () => {
    const composed = 'Lead.\n\n## A\n\nText.\n';
    expect(parseBodyBeforeNotes(`${bodyOf(composed)}\n## Later\n`, composed)).toBeUndefined();
    expect(parseBodyBeforeNotes(bodyOf(composed), 'Other.\n')).toBeUndefined();
    expect(parseBodyBeforeNotes('\nLead.\n\n## A\n', 'Lead.\n\n## A\n')).toBeUndefined();
    expect(parseBodyBeforeNotes(bodyOf(''), '')).toBeUndefined();
    // Without a blank line the notes' first line could run on from the post's last block.
    const tight = '\nLead.\n{/* draft:collaboration-notes */}\nx\n{/* /draft:collaboration-notes */}\n';
    expect(parseBodyBeforeNotes(tight, 'Lead.\n')).toBeUndefined();
  });
});

// Deterministic pseudo-random posts from pieces that interact across the line breaks joining them
// (lazy continuation, setext underlines, lists and quotes running on), compared the same way.
const PIECES = [
  'A paragraph of text.',
  '## A heading',
  '### A sub-heading',
  '# An H1',
  'Setext\n===',
  'Another\n---',
  '---',
  '***',
  '```\n## fenced\n```',
  '~~~js\n# fenced\n~~~',
  '- item\n- ## listed heading',
  '> quoted\n> ## quoted heading',
  '    indented code',
  '<div>\n## html block\n</div>',
  '<!-- a comment -->',
  '{/* an MDX comment */}',
  '| a | b |\n| - | - |\n| 1 | 2 |',
  '[ref]: https://example.com/ref',
  '[^n]: a footnote',
  'Text with [ref] and [^n].',
  '## Heading with [ref]',
  '1. one\n2. two',
  '<!-- draft:collaboration-notes -->',
];

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('section hashes of a new draft: 200 generated posts', () => {
  it('the fast path, whenever it answers, answers exactly what parseBody does', () => {
    const random = seeded(15);
    let answered = 0;
    for (let i = 0; i < 200; i++) {
      const count = 1 + Math.floor(random() * 8);
      let composed = '';
      for (let j = 0; j < count; j++) {
        const piece = PIECES[Math.floor(random() * PIECES.length)]!;
        composed += (j === 0 ? '' : random() < 0.25 ? '\n' : '\n\n') + piece;
      }
      composed += random() < 0.8 ? '\n' : '';
      const body = bodyOf(composed, random() < 0.5 ? NOTES : 'Short notes.', random() < 0.3 ? 'mdx' : undefined);
      const fast = parseBodyBeforeNotes(body, composed);
      if (fast) {
        answered++;
        expect(fast, JSON.stringify(composed)).toEqual(parseBody(body));
      }
      expect(hashSections(body, composed), JSON.stringify(composed)).toEqual(slowHashes(body));
    }
    // Most posts take the fast path; the rest are parsed whole.
    expect(answered).toBeGreaterThan(150);
  });
});
