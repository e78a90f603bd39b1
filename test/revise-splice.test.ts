import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashSections } from '../src/core/document/section-hashes.js';
import { parseBody } from '../src/core/document/sections.js';
import { detectHandEdits } from '../src/core/revise/hand-edits.js';
import { postFromText } from '../src/core/revise/post.js';
import { applyEdits } from '../src/core/document/text-edits.js';
import { contentReplacement, headingReplacement, insertion } from '../src/core/revise/splice.js';
import { WorkingCopy } from '../src/core/revise/working-copy.js';

const SEED = readFileSync(new URL('./fixtures/revise/seed-post.md', import.meta.url), 'utf8');

function post(text: string) {
  return postFromText('/tmp/post.md', 'post.md', text);
}

function section(p: ReturnType<typeof post>, heading: string | null) {
  const found = p.structure.sections.find((s) => s.heading === heading);
  if (!found) throw new Error(`no section ${heading}`);
  return found;
}

describe('splicing by offsets', () => {
  it('applies edits against the original text and refuses overlapping ones', () => {
    expect(
      applyEdits('abcdef', [
        { start: 4, end: 5, text: 'E' },
        { start: 1, end: 2, text: 'BB' },
        { start: 3, end: 3, text: '+' },
      ]),
    ).toBe('aBBc+dEf');
    expect(() =>
      applyEdits('abcdef', [
        { start: 1, end: 4, text: '' },
        { start: 3, end: 5, text: '' },
      ]),
    ).toThrow(RangeError);
  });

  it('keeps the blank lines around a revised section and converts it to the file’s line endings', () => {
    expect(contentReplacement('\nold text\n\n', 'new\ntext', '\n')).toBe('\nnew\ntext\n\n');
    expect(contentReplacement('\r\nold\r\n\r\n', '  new\nline  \n', '\r\n')).toBe('\r\nnew\r\nline\r\n\r\n');
    // A heading with no text under it gets its revision after one blank line.
    expect(contentReplacement('\n', 'filled', '\n')).toBe('\nfilled\n\n');
  });

  it('rewrites a heading line in its own style', () => {
    expect(headingReplacement('## Old one\n', 'New one', '\n')).toBe('## New one\n');
    expect(headingReplacement('### Old ###\r\n', 'New', '\r\n')).toBe('### New\r\n');
    expect(headingReplacement('Old\n---\n', 'Newer', '\n')).toBe('Newer\n-----\n');
  });

  it('inserts a section with exactly one blank line on each side', () => {
    const body = 'Intro.\n\n## A\n\nText a.\n\n## B\n\nText b.\n';
    const at = body.indexOf('## B');
    const edit = insertion(body, at, '## New', 'Fresh text.', '\n');
    expect(applyEdits(body, [edit])).toBe('Intro.\n\n## A\n\nText a.\n\n## New\n\nFresh text.\n\n## B\n\nText b.\n');
    const atEnd = insertion(body, body.length, '## Last', 'End.', '\n');
    expect(applyEdits(body, [atEnd])).toBe(`${body}\n## Last\n\nEnd.\n`);
  });

  it('changes only the revised section of the seed post: every other byte is identical', () => {
    const p = post(SEED);
    const copy = new WorkingCopy(p);
    const target = section(p, 'The Market Fallout');
    copy.setContent(target, 'A new market analysis.\n\n- one\n- two');
    const body = copy.renderBody();
    const original = p.src.body;
    expect(body.slice(0, target.contentStart)).toBe(original.slice(0, target.contentStart));
    const tail = original.slice(target.end);
    expect(body.endsWith(tail)).toBe(true);
    expect(body.slice(target.contentStart, body.length - tail.length)).toBe('\nA new market analysis.\n\n- one\n- two\n\n');
    // Re-parsing finds the same headings in the same order.
    expect(parseBody(body).sections.map((s) => s.heading)).toEqual(p.structure.sections.map((s) => s.heading));
  });

  it('keeps CRLF, and splices a new section, a renamed heading and a new H1 without touching the rest', () => {
    const text = '# Title\r\n\r\nLead {{< figure src="a.png" >}}.\r\n\r\n## One\r\n\r\nOne   text  \r\n\r\n## Two\r\n\r\nTwo text.\r\n';
    const p = post(text);
    const copy = new WorkingCopy(p);
    copy.title = 'Better Title';
    copy.renameHeading(section(p, 'Two'), 'Second');
    copy.inserted.push({ offset: section(p, 'Two').start, heading: 'Between', content: 'New\ntext.' });
    const body = copy.renderBody();
    expect(body).toBe(
      '# Better Title\r\n\r\nLead {{< figure src="a.png" >}}.\r\n\r\n## One\r\n\r\n' +
        'One   text  \r\n\r\n## Between\r\n\r\nNew\r\ntext.\r\n\r\n## Second\r\n\r\nTwo text.\r\n',
    );
    expect(body.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('renders the whole post for whole-post requests without the notes block', () => {
    const p = post(
      SEED.replace(/\n$/, '\n\n<!-- draft:collaboration-notes -->\n## Collaboration notes\n\nx\n<!-- /draft:collaboration-notes -->\n'),
    );
    const markdown = new WorkingCopy(p).markdown();
    expect(markdown).toContain('## The Market Fallout');
    expect(markdown).not.toContain('Collaboration notes');
    expect(markdown.startsWith('If recent headlines')).toBe(true);
  });
});

describe('hand-edit detection', () => {
  const body = 'Lead.\n\n## A\n\nText a.\n\n## B\n\nText b.\n\n## C\n\nText c.\n';
  const stored = hashSections(body);

  it('finds nothing when the text is as the tool wrote it, even re-saved with CRLF and a leading blank line', () => {
    const resaved = `\n${body.replace(/\n/g, '\r\n')}`;
    expect(detectHandEdits(resaved, parseBody(resaved), stored)).toEqual({ edited: [], introduction: false, added: [], removed: [] });
  });

  it('names edited, added and removed sections, and the introduction', () => {
    const edited = 'Lead, edited.\n\n## A\n\nText a, edited.\n\n## B\n\nText b.\n\n## D\n\nNew.\n';
    expect(detectHandEdits(edited, parseBody(edited), stored)).toEqual({ edited: ['A'], introduction: true, added: ['D'], removed: ['C'] });
  });

  it('leaves out the sections being revised now', () => {
    const edited = body.replace('Text a.', 'Text a, edited.').replace('Text b.', 'Text b, edited.');
    const structure = parseBody(edited);
    const revising = new Set([structure.sections.find((s) => s.heading === 'A')!.index]);
    expect(detectHandEdits(edited, structure, stored, revising).edited).toEqual(['B']);
  });

  it('pairs up sections with the same heading one to one', () => {
    const twice = 'Lead.\n\n## Notes\n\nOne.\n\n## Notes\n\nTwo.\n';
    const hashes = hashSections(twice);
    const changed = twice.replace('Two.', 'Two, edited.');
    expect(detectHandEdits(changed, parseBody(changed), hashes).edited).toEqual(['Notes']);
    expect(detectHandEdits(twice, parseBody(twice), hashes).edited).toEqual([]);
  });

  it('reads a TOML-stored lead (heading dropped for lack of null) as the lead', () => {
    const stored2 = hashSections(body).map((s) => (s.heading === null ? { ...s, heading: '' } : s));
    expect(detectHandEdits(body, parseBody(body), stored2).introduction).toBe(false);
  });
});
