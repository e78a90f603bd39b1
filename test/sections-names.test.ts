import { describe, expect, it } from 'vitest';
import { findSections, parseBody } from '../src/core/document/sections.js';
import { UsageError } from '../src/core/errors.js';

const names = (body: string, ...queries: string[]) => findSections(parseBody(body), queries, 'post.md').map((s) => s.heading);

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

const DUPLICATES = '# Title\n\nLead.\n\n## Header 1\n\na\n\n## Other\n\nb\n\n## Header 1\n\nc\n\n### Header 1\n\nd\n';

describe('findSections: any heading, by name or by position', () => {
  it('names a ## under a mid-post H1, and a ### under a ##', () => {
    const body = 'Lead.\n\n## Before\n\nx\n\n# Part\n\ny\n\n## Introduction to RL\n\nz\n\n### The Details\n\nw\n';
    expect(names(body, 'introduction to rl')).toEqual(['Introduction to RL']);
    expect(names(body, 'the details', 'before')).toEqual(['The Details', 'Before']);
    expect(names(body, 'introduction')).toEqual([null]);
  });

  it('"Heading#N" is the Nth heading with that text, @N the Nth heading in the post (the title is @1)', () => {
    const structure = parseBody(DUPLICATES);
    const [second] = findSections(structure, ['Header 1#2'], 'post.md');
    expect(DUPLICATES.slice(second!.contentStart, second!.end)).toBe('\nc\n\n### Header 1\n\nd\n');
    const [third] = findSections(structure, ['header 1 #3'], 'post.md');
    expect(third!.depth).toBe(3);
    const [atFour] = findSections(structure, ['@4'], 'post.md');
    expect(atFour).toBe(second);
    expect(names(DUPLICATES, '@3')).toEqual(['Other']);
  });

  it('refuses an ambiguous name with the candidates and the syntax to pick one', () => {
    const error = usageError(() => findSections(parseBody(DUPLICATES), ['Header 1'], 'post.md'));
    expect(error.message).toBe('post.md: "Header 1" matches several sections: "Header 1", "Header 1", "Header 1"');
    expect(error.hint).toContain(
      '--section "Header 1#1" or --section @2\n  --section "Header 1#2" or --section @4\n  --section "Header 1#3" or --section @5',
    );
  });

  it('refuses positions that are no section', () => {
    expect(usageError(() => names(DUPLICATES, '@1')).message).toBe("post.md: --section @1 is the post's title, not a section");
    expect(usageError(() => names(DUPLICATES, '@9')).message).toBe('post.md: --section @9: the post has 5 headings');
    expect(usageError(() => names(DUPLICATES, 'Other#2')).message).toBe(
      'post.md: --section "Other#2": the post has only one heading "Other"',
    );
  });

  it('a heading that really reads "Issue #2" or "@2" wins over the position syntax', () => {
    const body = '## Issue #2\n\na\n\n## @2\n\nb\n\n## Issue\n\nc\n';
    expect(names(body, 'issue #2', '@2')).toEqual(['Issue #2', '@2']);
  });

  it('lists the headings as an outline indented by depth when nothing matches', () => {
    const body = 'Lead.\n\n## Setup\n\nx\n\n# Part\n\ny\n\n## Deep\n\nz\n\n### Details\n\nw\n';
    const error = usageError(() => names(body, 'benchmarks'));
    expect(error.message).toBe('post.md: no section matches "benchmarks"');
    expect(error.hint).toContain('\n    @1 "Setup"\n  @2 "Part"\n    @3 "Deep"\n      @4 "Details"');
  });

  it('refuses two names when one section holds the other', () => {
    const body = '## Deep\n\nz\n\n### Details\n\nw\n';
    expect(usageError(() => names(body, 'deep', 'details')).message).toBe(
      'post.md: the sections "Details" and "Deep" overlap: the first is part of the second',
    );
  });
});

describe('findSections: what counts as the same name', () => {
  it('ignores curly versus straight quotes and apostrophes, both ways', () => {
    const body = "## What’s Next for “Open” AI?\n\na\n\n## Don't Panic\n\nb\n\n## The ‘Moat′\n\nc\n";
    expect(names(body, 'what\'s next for "open" ai?', 'don’t panic', "the 'moat'")).toEqual([
      'What’s Next for “Open” AI?',
      "Don't Panic",
      'The ‘Moat′',
    ]);
  });

  it('ignores runs of whitespace, an ATX closing sequence and {#id} or MDX {/*id*/} suffixes', () => {
    const body = '## Setup {#setup}\n\na\n\n## Setup and teardown\n\nb\n\n## Run it {/*run*/}\n\nc\n\n## Closing ##\n\nd\n';
    // "setup" is a whole heading once its id is set aside, not the ambiguous start of two.
    expect(names(body, 'setup', 'Setup  and\tteardown', 'run it', 'closing ##')).toEqual([
      'Setup {#setup}',
      'Setup and teardown',
      'Run it {/run/}',
      'Closing',
    ]);
    expect(names(body, 'Run it {/*run*/}', 'SETUP {#setup}')).toEqual(['Run it {/run/}', 'Setup {#setup}']);
  });
});
