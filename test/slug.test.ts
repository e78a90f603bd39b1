import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import { DEFAULT_FILE_NAME_PATTERN } from '../src/core/defaults.js';
import { fileNameFor, slugify } from '../src/core/slug.js';

const PLAIN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

describe('slugify', () => {
  it('turns a post title into a readable slug', () => {
    expect(slugify('DeepSeek’s Disruption: The Financial Ripple in the AI Ecosystem')).toBe(
      'deepseeks-disruption-the-financial-ripple-in-the-ai-ecosystem',
    );
    expect(slugify('What’s Next for the AI Business Landscape?')).toBe('whats-next-for-the-ai-business-landscape');
  });

  it('strips diacritics from Turkish, German and French titles', () => {
    expect(slugify('İstanbul’da Yapay Zekâ ve Işık')).toBe('istanbulda-yapay-zeka-ve-isik');
    expect(slugify('Größenwahn: Über Straße und Öl')).toBe('grossenwahn-uber-strasse-und-ol');
    expect(slugify('Œuvre déjà vue à Noël, garçon')).toBe('oeuvre-deja-vue-a-noel-garcon');
  });

  it.each([
    ['../../etc/passwd', 'etc-passwd'],
    ['..\\..\\Windows\\System32', 'windows-system32'],
    ['a/b\\c', 'a-b-c'],
    ['nul\0byte', 'nul-byte'],
    ['...hidden', 'hidden'],
    ['.env', 'env'],
    ['CON', 'con-post'],
    ['Lpt1', 'lpt1-post'],
    ['com9', 'com9-post'],
    ['🎉🚀', 'untitled'],
    ['', 'untitled'],
    ['   ---   ', 'untitled'],
  ])('makes %j a plain file name (%s)', (title, slug) => {
    expect(slugify(title)).toBe(slug);
    expect(slugify(title)).toMatch(PLAIN);
  });

  it('keeps long titles under 80 characters, cut between words', () => {
    const slug = slugify('word '.repeat(100));
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug).toMatch(PLAIN);
    expect(slug.endsWith('word')).toBe(true);
    const oneWord = slugify('x'.repeat(500));
    expect(oneWord).toBe('x'.repeat(80));
    const awkward = slugify(`${'a'.repeat(79)} bcd`);
    expect(awkward).toBe('a'.repeat(79));
  });
});

describe('fileNameFor', () => {
  const vars = { slug: 'deepseek-disruption', date: '2025-01-28' };

  it('expands the tokens', () => {
    expect(fileNameFor(DEFAULT_FILE_NAME_PATTERN, vars)).toBe('deepseek-disruption.md');
    expect(fileNameFor('{date}-{slug}.md', vars)).toBe('2025-01-28-deepseek-disruption.md');
    expect(fileNameFor('{year}{month}{day}_{slug}.markdown', vars)).toBe('20250128_deepseek-disruption.markdown');
    expect(fileNameFor(undefined, vars)).toBe('deepseek-disruption.md');
  });

  it('allows folders inside the posts folder: page bundles and dated folders', () => {
    expect(fileNameFor('{slug}/index.md', vars)).toBe('deepseek-disruption/index.md');
    expect(fileNameFor('{year}/{month}/{slug}.md', vars)).toBe('2025/01/deepseek-disruption.md');
  });

  it.each([
    ['..\\{slug}.md', 'backslash folder separators'],
    ['../{slug}.md', '".."'],
    ['{year}//{slug}.md', 'empty folder'],
    ['/etc/{slug}', 'absolute path'],
    ['..', '".."'],
    ['{slug}..md', '".."'],
    ['C:{slug}.md', 'absolute path'],
    ['{slug}\0.md', 'NUL'],
    ['{title}.md', 'unknown token {title}'],
    ['con.md', 'reserved file name'],
    ['', 'empty file name'],
  ])('rejects the pattern %j (%s)', (pattern, reason) => {
    let error: unknown;
    try {
      fileNameFor(pattern, vars);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain(`file name pattern "${pattern}"`);
    expect((error as UsageError).message).toContain(reason);
    expect((error as UsageError).hint).toContain('{slug}');
  });

  it('gives a plain file name for every hostile title', () => {
    for (const title of ['../../etc/passwd', 'a\\b', 'x\0y', 'CON', '🎉', '.'.repeat(300), 'ß'.repeat(500)]) {
      const name = fileNameFor('{date}-{slug}.md', { slug: slugify(title), date: '2025-01-28' });
      expect(name).toMatch(/^2025-01-28-[a-z0-9-]+\.md$/);
    }
  });

  it('rejects a malformed date', () => {
    expect(() => fileNameFor('{slug}.md', { slug: 'x', date: '28/01/2025' })).toThrow(UsageError);
  });
});
