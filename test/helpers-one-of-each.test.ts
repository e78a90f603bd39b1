/**
 * Helpers that used to exist twice with different behaviour, now one of each. Each case is where
 * the copies disagreed; the kept behaviour is the one asserted.
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeHeading } from '../src/core/document/section-names.js';
import { LineIndex, positionAt } from '../src/core/document/text-positions.js';
import { applyEdits, toEol } from '../src/core/document/text-edits.js';
import { cleanSectionReply } from '../src/core/drafting/section-reply.js';
import { escapeRegExp } from '../src/core/escape-regexp.js';
import { exists } from '../src/core/fs/exists.js';
import { countWords, loadMarkdown, plainText } from '../src/core/markdown.js';
import { isPlainObject } from '../src/core/plain-object.js';

describe('applyEdits', () => {
  it('refuses overlapping edits instead of letting one eat the other', () => {
    expect(() =>
      applyEdits('abcdef', [
        { start: 1, end: 4, text: 'X' },
        { start: 3, end: 5, text: 'Y' },
      ]),
    ).toThrow(RangeError);
  });

  it('puts an insert at a replaced range’s end after the replacement', () => {
    expect(
      applyEdits('abcdef', [
        { start: 4, end: 4, text: '+' },
        { start: 1, end: 4, text: 'X' },
      ]),
    ).toBe('aX+ef');
  });
});

describe('toEol', () => {
  it('turns a lone CR into the file’s line ending, in LF and CRLF files alike', () => {
    expect(toEol('a\rb\r\nc\n', '\n')).toBe('a\nb\nc\n');
    expect(toEol('a\rb\r\nc\n', '\r\n')).toBe('a\r\nb\r\nc\r\n');
  });
});

describe('countWords', () => {
  it('counts the words a reader sees, not link targets or Markdown syntax', async () => {
    expect(await countWords('See [the report](https://example.com/reports/2025/q1-results) and **this**. <!-- a note -->')).toBe(5);
  });
});

describe('normalizeHeading', () => {
  it('ignores emphasis, curly quotes, ids, spacing, case and a trailing colon', () => {
    const same = ['The *Market’s* Fallout:', "the market's   fallout", 'The Market’s Fallout {#fallout}', 'The Market’s Fallout ##'];
    expect(new Set(same.map(normalizeHeading)).size).toBe(1);
  });

  it('drops a repeated heading with curly quotes from a section reply', () => {
    expect(cleanSectionReply('## The Market’s Fallout\n\nShares fell.', "The Market's Fallout")).toBe('Shares fell.');
  });
});

describe('plainText', () => {
  it('keeps a word with emphasis inside it one word, and keeps blocks apart', async () => {
    const md = await loadMarkdown();
    expect(plainText(md.parse("## The *Market*'s Fallout"))).toBe("The Market's Fallout");
    expect(plainText(md.parse('First para.\n\nSecond <span>para</span> ![a chart](c.png)'))).toBe('First para. Second para a chart');
    expect(await countWords('un*believ*able')).toBe(1);
  });
});

describe('isPlainObject', () => {
  it('takes parsed data (plain and null-prototype objects) but not arrays, Dates or class instances', () => {
    expect([{}, Object.create(null)].map(isPlainObject)).toEqual([true, true]);
    expect([[], new Date(), new Map(), null, 'x'].map(isPlainObject)).toEqual([false, false, false, false, false]);
  });
});

describe('escapeRegExp', () => {
  it('matches text literally, also under the u flag', () => {
    expect(new RegExp(`^${escapeRegExp('a.b*(c)[d]{e}|f?+^$\\')}$`, 'u').test('a.b*(c)[d]{e}|f?+^$\\')).toBe(true);
  });
});

describe('exists', () => {
  it('is false only when nothing is there; other failures are thrown, not taken as room to write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'draft-exists-'));
    try {
      expect(await exists(dir)).toBe(true);
      expect(await exists(join(dir, 'missing'))).toBe(false);
      await symlink('loop', join(dir, 'loop'));
      await expect(exists(join(dir, 'loop'))).rejects.toMatchObject({ code: 'ELOOP' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('LineIndex', () => {
  it('places every offset where positionAt does (CRLF, emoji and the last line included)', () => {
    const text = 'one\r\ntwo 🙂 x\n\nlast';
    const lines = new LineIndex(text);
    for (let offset = 0; offset <= text.length; offset++) expect(lines.position(offset)).toEqual(positionAt(text, offset));
    expect(lines.lineCount).toBe(4);
  });
});
