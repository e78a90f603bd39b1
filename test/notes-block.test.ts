import { describe, expect, it } from 'vitest';
import { findNotesBlock, NOTES_END, NOTES_START, removeNotesBlock, upsertNotesBlock } from '../src/core/document/notes-block.js';

const count = (text: string, needle: string): number => text.split(needle).length - 1;

describe('notes block', () => {
  const body = '## Conclusion\n\nThe so-called AI apocalypse might just be the beginning.\n';

  it('appends the block after one blank line', () => {
    const out = upsertNotesBlock(body, '## Collaboration notes\n\n- Manolo set the direction.\n', '\n');
    expect(out).toBe(`${body}\n${NOTES_START}\n## Collaboration notes\n\n- Manolo set the direction.\n${NOTES_END}\n`);
  });

  it('does not stack blank lines when the body already ends with some, and keeps them at the end of the file', () => {
    expect(upsertNotesBlock('Text\n\n\n', 'n', '\n')).toBe(`Text\n\n${NOTES_START}\nn\n${NOTES_END}\n\n\n`);
    expect(removeNotesBlock(upsertNotesBlock('Text\n\n\n', 'n', '\n'))).toBe('Text\n\n\n');
    expect(upsertNotesBlock('', 'n', '\n')).toBe(`${NOTES_START}\nn\n${NOTES_END}\n`);
  });

  it('replaces the block instead of adding a second one, leaving the text around it unchanged', () => {
    const once = upsertNotesBlock(body, 'first notes', '\n');
    const twice = upsertNotesBlock(once, 'second notes\nwith two lines', '\n');
    expect(count(twice, NOTES_START)).toBe(1);
    expect(count(twice, NOTES_END)).toBe(1);
    expect(twice).toBe(`${body}\n${NOTES_START}\nsecond notes\nwith two lines\n${NOTES_END}\n`);
    expect(upsertNotesBlock(twice, 'second notes\nwith two lines', '\n')).toBe(twice);
  });

  it('keeps hand-written text after the block byte for byte', () => {
    const before = 'Intro  \n\n';
    const after = '\n\nPS: written by hand after the notes.  \n';
    const text = `${before}${NOTES_START}\nold\n${NOTES_END}${after}`;
    expect(upsertNotesBlock(text, 'new', '\n')).toBe(`${before}${NOTES_START}\nnew\n${NOTES_END}${after}`);
  });

  it('writes CRLF into CRLF bodies', () => {
    const crlf = 'Line one\r\nLine two\r\n';
    const out = upsertNotesBlock(crlf, '## Notes\n\n- a', '\r\n');
    expect(out).toBe(`Line one\r\nLine two\r\n\r\n${NOTES_START}\r\n## Notes\r\n\r\n- a\r\n${NOTES_END}\r\n`);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(findNotesBlock(out)).toEqual({ start: crlf.length + 2, end: out.length });
  });

  it('finds the block from the start marker to the end of the end-marker line', () => {
    const text = `a\n${NOTES_START}\nx\n${NOTES_END}\nb\n`;
    const found = findNotesBlock(text);
    expect(found).toEqual({ start: 2, end: text.indexOf('b\n') });
  });

  it('ignores markers inside fenced code', () => {
    const text = `Example:\n\n\`\`\`md\n${NOTES_START}\nnot notes\n${NOTES_END}\n\`\`\`\n`;
    expect(findNotesBlock(text)).toBeNull();
    const out = upsertNotesBlock(text, 'real', '\n');
    expect(out.startsWith(text)).toBe(true);
    expect(findNotesBlock(out)?.start).toBe(text.length + 1);
  });

  it('treats a start marker without an end marker as no block, without crashing', () => {
    const broken = `Text\n\n${NOTES_START}\nleft over\n`;
    expect(findNotesBlock(broken)).toBeNull();
    const out = upsertNotesBlock(broken, 'n', '\n');
    expect(out.startsWith(broken.trimEnd())).toBe(true);
    // The new block is found, not a span from the orphaned marker that would swallow "left over".
    expect(findNotesBlock(out)?.start).toBe(out.lastIndexOf(NOTES_START));
    expect(upsertNotesBlock(out, 'again', '\n')).toContain('left over');
    expect(removeNotesBlock(broken)).toBe(broken);
  });

  it('removes the block and the blank line that separated it', () => {
    const with_ = upsertNotesBlock(body, 'notes', '\n');
    expect(removeNotesBlock(with_)).toBe(body);
    const middle = `a\n\n${NOTES_START}\nn\n${NOTES_END}\n\nb\n`;
    expect(removeNotesBlock(middle)).toBe('a\n\n\nb\n');
    expect(removeNotesBlock(`${NOTES_START}\nn\n${NOTES_END}\n`)).toBe('');
  });
});
