import { describe, expect, it } from 'vitest';
import { parseLinkSpec, validateBrief } from '../src/core/brief.js';
import { mergeBriefInput } from '../src/core/brief-input.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const flagLabel = (f: string) => `--${f}`;

describe('links', () => {
  it('splits "Title=URL" at the first = before the URL, keeping = inside the URL and the title', () => {
    expect(parseLinkSpec('DeepSeek R1: Revolutionising Open-Source AI=https://example.com/blog/deepseek-r1')).toEqual({
      title: 'DeepSeek R1: Revolutionising Open-Source AI',
      url: 'https://example.com/blog/deepseek-r1',
    });
    expect(parseLinkSpec('a=b=https://x.test/?q=1&r=2')).toEqual({ title: 'a=b', url: 'https://x.test/?q=1&r=2' });
    expect(parseLinkSpec('no url')).toBeUndefined();
    expect(parseLinkSpec('=https://x.test')).toBeUndefined();
  });
});

describe('brief validation', () => {
  it('accepts the seed brief and fills defaults', () => {
    const brief = validateBrief({ topic: 'DeepSeek', keywords: ['DeepSeek'], links: ['Earlier=https://e.test/a'] }, flagLabel);
    expect(brief.links).toEqual([{ title: 'Earlier', url: 'https://e.test/a' }]);
    expect(brief.keywords).toEqual(['DeepSeek']);
  });

  it('reports every bad field at once', () => {
    expect(() =>
      validateBrief(
        { topic: '', words: 5, sections: 0, links: ['bad', { title: 't', url: 'javascript:alert(1)' }], colour: 'red' },
        flagLabel,
      ),
    ).toThrow(
      /--topic must not be empty\n.*--words must be a whole number from 150 to 10000\n.*--sections must be a whole number from 1 to 15\n.*--links: "bad" must look like .*\n.*--links must be an http\(s\) URL\n.*--colour is not a known field/,
    );
  });
});

describe('brief input: file and flags', () => {
  it('flags override the file, field by field; numbers from flags are numbers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'brief-'));
    const file = join(dir, 'b.yaml');
    await writeFile(file, 'topic: file topic\naudience: from file\nkeyword: single\n');
    const { raw } = await mergeBriefInput({ brief: file, topic: 'flag topic', words: '800' });
    expect(raw).toMatchObject({ topic: 'flag topic', audience: 'from file', words: 800 });
  });

  it('names the file, line and column of bad YAML', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'brief-'));
    const file = join(dir, 'b.yaml');
    await writeFile(file, 'topic: ok\nlinks: [unclosed\n');
    await expect(mergeBriefInput({ brief: file })).rejects.toThrow(/b\.yaml:\d+:\d+: not valid YAML/);
  });

  it('a missing brief file names the flag and path', async () => {
    await expect(mergeBriefInput({ brief: '/nonexistent/brief.yaml' })).rejects.toThrow(/--brief: cannot read \/nonexistent\/brief\.yaml/);
  });
});
