/** The one-line cleaning itself: what becomes a space, what goes, what is bounded, what is reported. */
import { describe, expect, it } from 'vitest';
import { headingSource, markdownInline, plainLine, withoutNulDeep } from '../src/core/model-text.js';

describe('plainLine', () => {
  it('leaves one line of plain text alone and reports nothing', () => {
    expect(plainLine('DeepSeek’s Disruption: The Financial Ripple', 200)).toEqual({
      text: 'DeepSeek’s Disruption: The Financial Ripple',
      changes: [],
    });
    expect(plainLine('AT&T <3 Nvidia, a < b', 200).changes).toEqual([]);
  });

  it('turns every kind of line break and control character into a space, and drops NUL and invisible marks', () => {
    expect(plainLine('a\r\nb\u2028c\u0085d\ve\ff', 200)).toEqual({ text: 'a b c d e f', changes: ['line breaks'] });
    expect(plainLine('x\u0000y\u200bz\u202eq\u0007r', 200)).toEqual({ text: 'xyz q r', changes: ['control characters'] });
  });

  it('drops HTML and MDX comments and tags, leading heading/quote markers and a closing # run', () => {
    expect(plainLine('## <b>Bold</b> move <!-- draft:collaboration-notes --> ##', 200)).toEqual({ text: 'Bold move', changes: ['markup'] });
    expect(plainLine('> {/* draft:collaboration-notes */} Quoted', 200).text).toBe('Quoted');
    expect(plainLine('#hashtag stays', 200).text).toBe('#hashtag stays');
  });

  it('cuts a runaway string at a word, within the bound', () => {
    const cleaned = plainLine('word '.repeat(100), 50);
    expect([...cleaned.text].length).toBeLessThanOrEqual(50);
    expect(cleaned.text).toMatch(/^(word )+word…$/);
    expect(cleaned.changes).toEqual(['length']);
  });
});

describe('writing text into Markdown', () => {
  it('markdownInline escapes what would start a link, code, HTML or an MDX expression', () => {
    expect(markdownInline('a [b] `c` <d> {e}\n\n## f \\ g')).toBe('a \\[b\\] \\`c\\` \\<d> \\{e\\} ## f \\\\ g');
  });

  it('headingSource keeps Markdown emphasis but escapes < { }', () => {
    expect(headingSource('Costs {2025} <est> *now*\n## x\u0000')).toBe('Costs \\{2025\\} \\<est> *now* ## x');
  });

  it('withoutNulDeep cleans nested strings and keeps everything else', () => {
    expect(withoutNulDeep({ a: 'x\u0000', b: ['y\u0000'], c: 3, d: { e: '\u0000z' } })).toEqual({ a: 'x', b: ['y'], c: 3, d: { e: 'z' } });
  });
});
