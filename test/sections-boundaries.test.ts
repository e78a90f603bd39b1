import { describe, expect, it } from 'vitest';
import { upsertNotesBlock } from '../src/core/document/notes-block.js';
import { parseBody, sectionText, type BodyStructure } from '../src/core/document/sections.js';

const headings = (s: BodyStructure): (string | null)[] => s.sections.map((x) => x.heading);
const named = (s: BodyStructure, heading: string) => {
  const found = s.outline.find((x) => x.heading === heading);
  if (!found) throw new Error(`no section ${heading}`);
  return found;
};

/** The top-level parts, the definitions and the notes cover the body, with only whitespace between them. */
function expectContiguous(body: string, s: BodyStructure): void {
  const parts = [...(s.title ? [s.title] : []), ...s.sections, ...s.definitions, ...(s.notes ? [s.notes] : [])].sort(
    (a, b) => a.start - b.start,
  );
  let pos = 0;
  for (const part of parts) {
    expect(body.slice(pos, part.start).trim()).toBe('');
    pos = part.end;
  }
  expect(body.slice(pos).trim()).toBe('');
}

describe('parseBody: trailing definitions belong to no section', () => {
  it('ends the last section before the link-reference definitions at the bottom of the post', () => {
    const body =
      'Lead [a][one].\n\n## First\n\nUses [b][two].\n\n## Last\n\nThe end.\n\n[one]: https://a.example/\n[two]: https://b.example/ "B"\n';
    const s = parseBody(body);
    expect(headings(s)).toEqual([null, 'First', 'Last']);
    expect(sectionText(body, named(s, 'Last'))).toBe('## Last\n\nThe end.\n\n');
    expect(s.definitions).toEqual([{ start: body.indexOf('[one]:'), end: body.length }]);
    expectContiguous(body, s);
  });

  it('ends it before multi-line footnote definitions, and before the notes block that follows them', () => {
    const src =
      'Intro.\n\n## Only\n\nA claim.[^1] Another.[^long]\n\n[^1]: The source.\n' +
      '[^long]: A long note\n    that goes on.\n\n    And a second paragraph.\n';
    const body = upsertNotesBlock(src, '## Collaboration notes\n\nx', '\n');
    const s = parseBody(body);
    const only = named(s, 'Only');
    expect(sectionText(body, only)).toBe('## Only\n\nA claim.[^1] Another.[^long]\n\n');
    expect(body.slice(s.definitions[0]!.start, s.definitions[0]!.end)).toBe(
      '[^1]: The source.\n[^long]: A long note\n    that goes on.\n\n    And a second paragraph.\n',
    );
    expect(s.notes!.start).toBeGreaterThan(s.definitions[0]!.end);
    expectContiguous(body, s);
  });

  it('ends any section before the definitions that close it, and keeps definitions that text follows', () => {
    const body = '## A\n\nSee [x].\n\n[x]: https://x.example/\n\n## B\n\n[y]: https://y.example/\n\nText after the definition.\n';
    const s = parseBody(body);
    expect(sectionText(body, named(s, 'A'))).toBe('## A\n\nSee [x].\n\n');
    expect(sectionText(body, named(s, 'B'))).toBe('## B\n\n[y]: https://y.example/\n\nText after the definition.\n');
    expect(s.definitions).toHaveLength(1);
    expectContiguous(body, s);
  });

  it('a lead made only of definitions is no lead', () => {
    const body = '[x]: https://x.example/\n\n## A\n\nSee [x].\n';
    const s = parseBody(body);
    expect(headings(s)).toEqual(['A']);
    expectContiguous(body, s);
  });
});

describe('parseBody: every heading is a section', () => {
  const body = [
    'Opening words.',
    '',
    '## Setup',
    '',
    'Install.',
    '',
    '# Part Two',
    '',
    'Lead of part two.',
    '',
    '## Deep Dive',
    '',
    'Dive.',
    '',
    '### Details',
    '',
    'Details.',
    '',
    '#### Fine print',
    '',
    'Tiny.',
    '',
    '### More',
    '',
    'More.',
    '',
    '## Results',
    '',
    'Numbers.',
    '',
  ].join('\n');
  const s = parseBody(body);

  it('the lead is only the text before the first heading of any level, even with a mid-post H1', () => {
    expect(sectionText(body, s.sections[0]!)).toBe('Opening words.\n\n');
  });

  it('the top-level parts do not overlap: headings nested under an earlier, shallower one are inside it', () => {
    expect(headings(s)).toEqual([null, 'Setup', 'Part Two']);
    expect(sectionText(body, named(s, 'Part Two'))).toContain('## Results\n\nNumbers.\n');
    expect(s.sections.map((x) => x.index)).toEqual([0, 1, 2]);
    expect(s.sectionDepth).toBe(2); // a new section under these headings is a ##, like most of them
    expectContiguous(body, s);
  });

  it('a named section runs to the next heading of the same or a higher level', () => {
    expect(s.outline.map((x) => x.heading)).toEqual([null, 'Setup', 'Part Two', 'Deep Dive', 'Details', 'Fine print', 'More', 'Results']);
    expect(sectionText(body, named(s, 'Details'))).toBe('### Details\n\nDetails.\n\n#### Fine print\n\nTiny.\n\n');
    expect(sectionText(body, named(s, 'More'))).toBe('### More\n\nMore.\n\n');
    expect(sectionText(body, named(s, 'Deep Dive'))).toMatch(/^## Deep Dive\n\nDive\.\n\n### Details[\s\S]*More\.\n\n$/);
    expect(sectionText(body, named(s, 'Setup'))).toBe('## Setup\n\nInstall.\n\n');
    // Every section has its own index, so revisions of two of them never collide.
    expect(new Set(s.outline.map((x) => x.index)).size).toBe(s.outline.length);
  });
});
