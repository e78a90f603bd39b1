import { describe, expect, it } from 'vitest';
import { slugify } from '../src/core/slug.js';

describe('slugs of titles in other scripts stay ASCII and readable', () => {
  it.each([
    ['Привет, мир: новости ИИ', 'privet-mir-novosti-ii'],
    ['Ελληνικά νέα για την τεχνητή νοημοσύνη', 'ellinika-nea-gia-tin-texniti-noimosyni'],
    ['Украина и ЕС: что дальше?', 'ukraina-i-es-chto-dalshe'],
    ['Größenwahn: Über Straße', 'grossenwahn-uber-strasse'],
    ['Crème brûlée à Paris', 'creme-brulee-a-paris'],
  ])('%s → %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('a title with no Latin spelling still gives a safe slug, and Latin words in it are kept', () => {
    expect(slugify('日本語のタイトル')).toBe('untitled');
    expect(slugify('DeepSeek 日本語 2025')).toBe('deepseek-2025');
  });
});
