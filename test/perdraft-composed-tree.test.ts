/**
 * composeBody offers the composed post's tree, built from the replies' trees, to the readers that
 * would otherwise parse the post again (figure tracing, section hashes, word counts). It must be the
 * very tree a parse gives, positions included, or not be offered at all.
 */
import { describe, expect, it } from 'vitest';
import { composeBody } from '../src/core/drafting/compose.js';
import type { DraftedPart } from '../src/core/drafting/draft-sections.js';
import { loadMarkdown, parseShared, sharedTreeOf } from '../src/core/markdown.js';

let run = 0;

/** Parts as the drafting core has them: each reply parsed (and shared) when it arrived. */
async function compose(replies: (string | [heading: string, markdown: string])[]) {
  run++;
  const parts = replies.map((r, i) =>
    typeof r === 'string' ? { heading: i === 0 ? null : `Section ${i}`, markdown: r } : { heading: r[0], markdown: r[1] },
  ) as DraftedPart[];
  // A unique introduction, so no earlier case's tree is found by accident.
  parts.unshift({ heading: null, markdown: `Introduction number ${run}.` } as DraftedPart);
  for (const part of parts) await parseShared(part.markdown);
  const body = await composeBody(parts);
  return { body, offered: sharedTreeOf(body), parsed: (await loadMarkdown()).parse(body) };
}

const CANONICAL: string[][] = [
  ['Plain text.', 'A paragraph.\n\nAnother paragraph.'],
  ['Text with *emphasis*, **strong**, `code` and a [link](https://example.com).', 'Line one\nline two of the same paragraph.'],
  ['> A quote\n> over two lines.', '| a | b |\n| - | - |\n| 1 | 2 |', '---'],
  ['### A sub-heading\n\nUnder it.', 'Ends with a list:\n\n- one\n- two'],
  ['A table last:\n\n| x |\n| - |\n| 1 |', '```js\nconst x = 1;\n```'],
  ['Emoji 🚀 and accents: Über, café, naïve.\n\nA second paragraph with ~~strike~~ and <https://example.com/auto>.'],
  ['Ends with a newline.\n', 'Ends with two.\n\n'],
];

const DECLINED: [string, string[]][] = [
  ['a definition', ['See [docs].\n\n[docs]: https://example.com']],
  ['a footnote', ['A note[^1].\n\n[^1]: The note.']],
  ['a list before the next section', ['- one\n- two', 'Next.']],
  ['a fence before the next section', ['```\ncode\n```', 'Next.']],
  ['a heading the composition demotes', ['## Demoted\n\nText.']],
  ['Markdown that remark writes differently', ['* star bullet\n* another', '__bold__ text']],
  ['trailing spaces', ['Text.  ']],
  ['an empty reply', ['', 'Next.']],
  ['an HTML comment left open, which swallows the next heading', ['Text.\n\n<!-- never closed', 'Next.']],
  ['a script block left open', ['<script>\nlet a = 1;', 'Next.']],
  ['a lone carriage return, a line break of its own to Markdown', ['One\rtwo.', 'Three\r\nfour.', 'Next.']],
];

describe('the composed post offers the tree a parse gives', () => {
  for (const [i, replies] of CANONICAL.entries()) {
    it(`canonical replies ${i + 1}`, async () => {
      const { offered, parsed } = await compose(replies);
      expect(offered).toBeDefined();
      expect(offered).toEqual(parsed);
    });
  }

  it('headings that need escaping keep their own parse', async () => {
    const { offered, parsed } = await compose([
      ['A *starred* [bracket] heading # 1', 'Text.'],
      ['Q&A: `tick` <b>', 'Text.'],
    ]);
    expect(offered).toBeDefined();
    expect(offered).toEqual(parsed);
  });

  for (const [name, replies] of DECLINED) {
    it(`offers nothing, or the parsed tree, with ${name}`, async () => {
      const { offered, parsed } = await compose(replies);
      if (offered) expect(offered).toEqual(parsed);
      else expect(offered).toBeUndefined();
    });
  }
});

// Replies made of pieces that interact across the blank lines between them, compared the same way.
const BLOCKS = [
  'A paragraph of text.',
  'Two lines\nof one paragraph.',
  '### A sub-heading',
  '#### Deeper',
  'Setext\n===',
  '***',
  '---',
  '> quoted',
  '> quoted\n>\n> - listed',
  '| a | b |\n| - | - |\n| 1 | 2 |',
  '- item\n- item two',
  '1. first\n2. second',
  '```\n## fenced\n```',
  '    indented code',
  '<div>html</div>',
  'Text with `code`, *em* and [a link](https://x.test).',
  'An autolink <https://example.com/a> and **strong** text.',
  'Plain words again, in a paragraph of their own.',
  'Tabbed\ttext and emoji 🚀 in one line.',
  '> - a listed quote\n>   over two lines',
  '[ref]',
  'Text\\',
  'A line  \nwith a hard break.',
];

describe('the composed post offers the tree a parse gives: 150 generated drafts', () => {
  it('whenever it is offered, it is the parsed tree', async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let offeredCount = 0;
    for (let i = 0; i < 150; i++) {
      const replies: string[] = [];
      for (let p = 0, parts = 1 + Math.floor(random() * 4); p < parts; p++) {
        const blocks: string[] = [];
        for (let b = 0, count = 1 + Math.floor(random() * 4); b < count; b++) blocks.push(BLOCKS[Math.floor(random() * BLOCKS.length)]!);
        replies.push(blocks.join(random() < 0.8 ? '\n\n' : '\n'));
      }
      const { body, offered, parsed } = await compose(replies);
      if (offered) {
        offeredCount++;
        expect(offered, JSON.stringify(body)).toEqual(parsed);
      }
    }
    expect(offeredCount).toBeGreaterThan(20);
  });
});
