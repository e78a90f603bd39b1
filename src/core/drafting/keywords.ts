import { escapeRegExp } from '../escape-regexp.js';

export interface KeywordCoverage {
  keyword: string;
  inTitle: boolean;
  inDescription: boolean;
  inIntro: boolean;
  /** Headings of the sections whose heading or text mention it. */
  sections: string[];
  /** Occurrences in the body. */
  count: number;
}

function occurrences(text: string, keyword: string): number {
  const escaped = escapeRegExp(keyword);
  return (text.match(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu')) ?? []).length;
}

export function keywordCoverage(
  keywords: readonly string[],
  post: { title: string; description: string; parts: readonly { heading: string | null; markdown: string }[] },
): KeywordCoverage[] {
  return keywords.map((keyword) => {
    const intro = post.parts.find((p) => p.heading === null);
    const sections = post.parts
      .filter((p) => p.heading !== null && occurrences(`${p.heading}\n${p.markdown}`, keyword) > 0)
      .map((p) => p.heading!);
    return {
      keyword,
      inTitle: occurrences(post.title, keyword) > 0,
      inDescription: occurrences(post.description, keyword) > 0,
      inIntro: intro ? occurrences(intro.markdown, keyword) > 0 : false,
      sections,
      count: post.parts.reduce((n, p) => n + occurrences(`${p.heading ?? ''}\n${p.markdown}`, keyword), 0),
    };
  });
}

export function formatCoverage(c: KeywordCoverage): string {
  const where = [c.inTitle && 'title', c.inDescription && 'description', c.inIntro && 'introduction'].filter(Boolean);
  if (c.sections.length) where.push(`${c.sections.length} section${c.sections.length === 1 ? '' : 's'}`);
  return c.count === 0 && where.length === 0 ? `${c.keyword}: missing` : `${c.keyword}: ${c.count}× (${where.join(', ') || 'body'})`;
}
