/**
 * A new draft's front matter is no longer re-read whole: only the values that could read back
 * differently are (valuesToConfirm). The text written is unchanged, every value still survives, and a
 * value that does not survive is still refused.
 */
import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createYamlFrontMatter, parseSource } from '../src/core/document/front-matter.js';
import { readsDifferentlyInYaml11, valuesToConfirm, yamlText } from '../src/core/document/front-matter-yaml.js';
import { normalizeValue } from '../src/core/document/front-matter-values.js';
import { RunError } from '../src/core/errors.js';

/** The check as it was: write, then re-read the whole block and compare. */
function slowFrontMatter(data: Record<string, unknown>): string {
  const normalized = normalizeValue(data, false) as Record<string, unknown>;
  const raw = `---\n${Object.keys(normalized).length === 0 ? '' : yamlText(normalized)}---\n`;
  if (!isDeepStrictEqual(parseSource(raw, 'new front matter').data, normalized)) throw new RunError('does not survive YAML');
  return raw;
}

const EDGE_STRINGS = [
  'Plain words',
  'Conclusion: What Comes Next',
  'x #y',
  'a:b',
  'trailing space ',
  ' leading space',
  'tab\there',
  'two\nlines\n',
  'ends with newlines\n\n',
  '  indented first line\nsecond',
  '',
  '---',
  '...',
  '- dash',
  '? question',
  '"quoted"',
  "'single'",
  '[bracket]',
  '{brace}',
  '&anchor',
  '*alias',
  '!tag',
  '%directive',
  '@at',
  '`tick',
  '|pipe',
  '>fold',
  'null',
  'Null',
  'NULL',
  '~',
  'true',
  'True',
  'FALSE',
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  'n',
  '0o17',
  '0x1F',
  '1e5',
  '1_000',
  '.inf',
  '-.Inf',
  '.nan',
  '+12',
  '012',
  '3.14',
  '190:20:30',
  '2026-12-01',
  '2026-12-01T11:00:29Z',
  '2026-12-01T11:00:29.765Z',
  '2026-12-01 11:00:29',
  'e8fd16eb57d73ad6',
  '7091e9940b822c36',
  '1234e56789012345',
  'Über-AI',
  'DeepSeek’s rise',
  'it’s (mostly) fine, really/truly',
  'emoji 🚀 here',
  '\u00a0nbsp',
  'zero\u200bwidth',
  '\uFEFFbom',
  'lone \uD800 surrogate',
  'nul\0char',
  'cr\rlf',
  'x'.repeat(300),
  'key: value: more',
  'It’s: a heading',
];

const DRAFT_LIKE = {
  title: 'Understanding Topic number 2 about gardens',
  slug: 'understanding-topic-number-2-about-gardens',
  date: '2026-12-01T11:00:29Z',
  description: 'A close look at Topic number 2 about gardens',
  tags: ['analysis'],
  keywords: [],
  draft: true,
  draft_state: {
    version: 1,
    provider: 'custom',
    model: 'gpt-4o-mini',
    brief: { topic: 'Topic number 2 about gardens', words: 150, sections: 1 },
    usage: { inputTokens: 618, outputTokens: 408, requests: 3, costUsd: 0.000169 },
    sections: [
      { heading: null, hash: 'bacfffb9be005ad2' },
      { heading: 'Conclusion: What Comes Next', hash: 'd0d146184dca51b4' },
    ],
    log: [{ at: '2026-12-01T11:00:29.765Z', actor: 'tool', action: 'figures-checked', details: { total: 0, untraced: 0 } }],
  },
};

describe('a new draft front matter, checked by the values that could read differently', () => {
  it('writes exactly the text the whole-block check wrote, for a draft and for edge values anywhere', () => {
    const cases: Record<string, unknown>[] = [
      DRAFT_LIKE,
      {},
      Object.fromEntries(EDGE_STRINGS.map((s, i) => [`k${i}`, s])),
      { list: EDGE_STRINGS, nested: { deeper: [{ values: EDGE_STRINGS }] } },
      { numbers: [0, -0, 1, -1, 0.1 + 0.2, 5e-324, 2 ** 60, -(2 ** 53), NaN, Infinity, -Infinity], flags: [true, false, null] },
      {
        empty: { list: [], map: {} },
        nested: [[[]]],
        keyed: { 'a key with spaces': 1, 'a:colon': 2, true: 3, '': 4, ['k'.repeat(1100)]: 5 },
      },
      { at: new Date(0), missing: undefined, holes: [undefined, null] },
    ];
    for (const data of cases) {
      const text = createYamlFrontMatter(data);
      expect(text).toBe(slowFrontMatter(data));
      // And what a reader takes from it is the data itself.
      expect(parseSource(`${text}Body\n`, 'post.md').data).toEqual(normalizeValue(data, false));
    }
  });

  it('a draft front matter needs no re-read; a doubtful value met three times is re-read once', () => {
    expect(valuesToConfirm(DRAFT_LIKE)).toEqual([]);
    expect(valuesToConfirm({ a: 'x #y', b: ['x #y'], c: { d: 'x #y' } })).toEqual(['x #y']);
  });

  it('a value let through unread reads as itself written bare (or double-quoted, for "Words: more")', () => {
    // Stronger than the real check needs (yamlText quotes what it must): the skipped values need no
    // quoting beyond the double quotes readsDifferentlyInYaml11 asks for.
    let skipped = 0;
    for (const value of [...EDGE_STRINGS, 'Part 1: The Market', 'Why (and how): the case, again!', 'A: b; c? d & e']) {
      if (valuesToConfirm({ value })!.length > 0) continue;
      skipped++;
      const written = readsDifferentlyInYaml11(value) && value.includes(': ') ? `"${value}"` : value;
      expect(parseYaml(`value: ${written}\n`, { schema: 'core' }).value, value).toBe(value);
    }
    expect(skipped).toBeGreaterThan(10);
    for (const doubtful of [
      'null',
      'True',
      'a:b',
      'x #y',
      'trailing space ',
      '1e5',
      '0o17',
      '',
      '---',
      "'single'",
      'two\nlines\n',
      'a: "quoted"',
      'a: back\\slash',
      `${'x'.repeat(60)}: more`,
    ]) {
      expect(valuesToConfirm({ value: doubtful }), doubtful).toEqual([doubtful]);
    }
  });

  it('a number let through unread reads back as the same number; others are re-read', () => {
    const numbers = [
      0,
      1,
      -1,
      42,
      0.000169,
      0.1 + 0.2,
      123.456,
      -7.25,
      Number.MAX_SAFE_INTEGER,
      1e-7,
      1e21,
      2 ** 60,
      -0,
      NaN,
      Infinity,
      -Infinity,
      5e-324,
    ];
    const doubtful = valuesToConfirm({ numbers })!;
    expect(doubtful).toEqual([1e-7, 1e21, 2 ** 60, -0, NaN, Infinity, -Infinity, 5e-324]);
    for (const n of numbers.filter((x) => !doubtful.includes(x))) {
      expect(parseYaml(yamlText({ n }), { schema: 'core' }).n, String(n)).toBe(n);
      expect(parseYaml(`n: ${String(n)}\n`, { schema: 'core' }).n, String(n)).toBe(n);
    }
  });

  it('keys other than plain names, and anything but plain data, send the whole block to be re-read', () => {
    expect(valuesToConfirm({ 'a key': 'x' })).toBeUndefined();
    expect(valuesToConfirm({ true: 'x' })).toBeUndefined();
    // A list with a hole (written as null, read back as null: not the same list).
    expect(valuesToConfirm({ list: new Array(3) })).toBeUndefined();
    expect(valuesToConfirm({ deep: { map: new Map() } })).toBeUndefined();
    expect(valuesToConfirm({ ok: 'plain', n: 3, also_ok: [true, null] })).toEqual([]);
  });

  it('still refuses a value that does not survive YAML, at the top or deep in the state', () => {
    class Point {
      x = 1;
    }
    const refused: unknown[] = [new Map([[1, 2]]), 10n, /re/, new Point(), new Set([1]), new Array(2)];
    for (const value of refused) {
      for (const data of [{ value }, { draft_state: { log: [{ details: { value } }] } }]) {
        expect(() => createYamlFrontMatter(data), String(value)).toThrow(/does not survive YAML/);
        expect(() => slowFrontMatter(data)).toThrow();
      }
    }
  });
});

describe('the YAML 1.1 rule for "words: more"', () => {
  it('quotes exactly what the YAML 1.1 parser would have', () => {
    const values = [
      'Conclusion: What Comes Next',
      'Part 1: The Market',
      'Yes: no',
      'It’s: here',
      'a : b',
      'key: value: more',
      'key: [unclosed',
      "key: 'open",
      'key: #comment',
      'key: |',
      'key: - item',
      'key: &a x',
      'key: *a',
      'key: ---',
      'key:  two spaces',
      'Why (and how): the case',
      'A/B: test',
      // Not words first: these go to the parser, some read as strings.
      "'quoted: x'",
      '"a: b"',
      '1: one',
      'x #y: z',
    ];
    for (const value of values) {
      let read: unknown;
      let threw = false;
      try {
        read = parseYaml(value, { version: '1.1', logLevel: 'silent' });
      } catch {
        threw = true;
      }
      const expected = threw || (typeof read !== 'string' && !(read instanceof Date));
      expect(readsDifferentlyInYaml11(value), value).toBe(expected);
    }
  });
});
