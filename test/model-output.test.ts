import { describe, expect, it } from 'vitest';
import { extractJsonObject } from '../src/core/json-extract.js';
import { cleanSectionReply } from '../src/core/drafting/section-reply.js';
import { parseOutline } from '../src/core/drafting/outline.js';
import { fitDescription } from '../src/core/drafting/generate-draft.js';
import { CollaborationLog } from '../src/core/collab/log.js';
import { keywordCoverage } from '../src/core/drafting/keywords.js';
import { validateBrief } from '../src/core/brief.js';

describe('tolerant JSON extraction', () => {
  it('finds the object in fences, prose, and after <think> blocks', () => {
    expect(extractJsonObject('{"a":1}')).toEqual({ a: 1 });
    expect(extractJsonObject('Sure! Here:\n```json\n{"a": {"b": "}"}}\n```\nAnything else?')).toEqual({ a: { b: '}' } });
    expect(extractJsonObject('<think>maybe {"wrong": true}</think>\nThe answer is {"a": 2}.')).toEqual({ a: 2 });
    expect(extractJsonObject('{"a": [1, 2,],}')).toEqual({ a: [1, 2] });
    expect(extractJsonObject('no json here')).toBeUndefined();
    expect(extractJsonObject('{"unterminated": ')).toBeUndefined();
  });
});

describe('outline validation', () => {
  const brief = validateBrief({ topic: 't', sections: 2 }, (f) => f);
  const good = {
    title: 'T',
    description: 'D',
    tags: [],
    intro: 'I',
    sections: [
      { heading: 'A', points: 'p', links: [] },
      { heading: 'B', points: 'p', links: [] },
    ],
  };
  it('accepts a valid outline and reports what is wrong with an invalid one', () => {
    expect(parseOutline(JSON.stringify(good), brief).outline?.title).toBe('T');
    expect(parseOutline(JSON.stringify({ ...good, sections: [good.sections[0]] }), brief).problem).toMatch(/expected 2 sections, got 1/);
    expect(parseOutline(JSON.stringify({ ...good, title: '' }), brief).problem).toMatch(/title/);
    expect(parseOutline('nope', brief).problem).toMatch(/no JSON object/);
  });
  it('keeps the working title when asked to', () => {
    const keep = validateBrief({ topic: 't', sections: 2, title: 'Mine', keepTitle: true }, (f) => f);
    expect(parseOutline(JSON.stringify(good), keep).outline?.title).toBe('Mine');
  });
});

describe('section replies', () => {
  it('drops a repeated heading, the post title and a wrapping fence, and keeps sub-headings', () => {
    expect(cleanSectionReply('## The Market Fallout\n\nText.\n\n### Detail\n\nMore.', 'The Market Fallout')).toBe(
      'Text.\n\n### Detail\n\nMore.',
    );
    expect(cleanSectionReply('```markdown\n# My Post\n## **Intro:**\nHello\n```', 'Intro', 'My Post')).toBe('Hello');
    expect(cleanSectionReply('## Another heading\n\nText', 'Mine')).toBe('## Another heading\n\nText');
  });
});

describe('description length', () => {
  it('cuts at a word within 160 characters and logs it', () => {
    const log = new CollaborationLog();
    const long = 'word '.repeat(60);
    const fitted = fitDescription(long, log);
    expect(fitted.length).toBeLessThanOrEqual(160);
    expect(fitted.endsWith('…')).toBe(true);
    expect(log.events[0]!.action).toBe('description-trimmed');
    expect(fitDescription('short', new CollaborationLog())).toBe('short');
  });
});

describe('keyword coverage', () => {
  it('reports where each keyword appears, as whole words, case-insensitively', () => {
    const [deepseek, nvidia, ai] = keywordCoverage(['DeepSeek', 'Nvidia', 'AI'], {
      title: 'DeepSeek and the market',
      description: 'How deepseek moved Nvidia',
      parts: [
        { heading: null, markdown: 'DeepSeek is new.' },
        { heading: 'Chips', markdown: 'Nvidia fell. DeepSeek rose.' },
        { heading: 'Other', markdown: 'Nothing about the said topic; maintain.' },
      ],
    });
    expect(deepseek).toMatchObject({ inTitle: true, inDescription: true, inIntro: true, sections: ['Chips'], count: 2 });
    expect(nvidia).toMatchObject({ inTitle: false, inDescription: true, sections: ['Chips'], count: 1 });
    expect(ai!.count).toBe(0); // "said" and "maintain" do not count
  });
});
