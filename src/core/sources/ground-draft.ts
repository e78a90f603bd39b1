import type { Brief } from '../brief.js';
import { parseBody, sectionText } from '../document/sections.js';
import { footnoteLabel } from './citations.js';
import { evidenceFrom, type Evidence } from './figures.js';
import type { LoadedSource } from './load-sources.js';
import { postFigures, traceFigures, type FigureReport } from './trace-figures.js';

/** What a source is known by once drafted: enough to cite it, find its snapshot and audit it later. */
export interface SourceRecord {
  number: number;
  title: string;
  location: string;
  url?: string;
  sha256: string;
  fetchedAt: string;
}

export function sourceRecord(source: LoadedSource): SourceRecord {
  return {
    number: source.number,
    title: source.title,
    location: source.location,
    ...(source.url ? { url: source.url } : {}),
    sha256: source.snapshot.sha256,
    fetchedAt: source.snapshot.fetchedAt,
  };
}

/** The brief's own words vouch for figures too: the editor typed them. */
export function briefTexts(brief: Partial<Brief>): string[] {
  return [
    brief.topic,
    brief.direction,
    brief.audience,
    brief.title,
    ...(brief.keywords ?? []),
    ...(brief.links ?? []).map((l) => l.title),
  ].filter((t): t is string => typeof t === 'string' && t !== '');
}

/**
 * Which sources a piece of the post cites, read from the text itself (so a revision or a hand edit is
 * judged on what is there now): a link to the source's URL, its footnote, or, for a local file, its title.
 */
export function citedIn(text: string, sources: readonly { number: number; title: string; url?: string }[]): number[] {
  return sources
    .filter(
      (s) =>
        (s.url ? text.includes(`](${s.url})`) || text.includes(`](<${s.url}>)`) : text.includes(s.title)) ||
        text.includes(`[^${footnoteLabel(s.number)}]`),
    )
    .map((s) => s.number);
}

/** For the notes: which sections cite each source, read from the post's text. */
export function citationsBySource(body: string, sources: readonly SourceRecord[]): { title: string; sections: (string | null)[] }[] {
  const parts = parseBody(body).sections;
  return sources.map((source) => ({
    title: source.title,
    sections: parts.filter((part) => citedIn(sectionText(body, part), [source]).length > 0).map((part) => part.heading),
  }));
}

/**
 * Traces every figure of a post body: a figure is traced when an equivalent form appears in a source
 * its section cites, or in the brief. Footnote definitions at the end count for every section, since a
 * footnote reference is how a section cites in that style.
 */
export async function traceBody(
  body: string,
  options: {
    firstBodyLine: number;
    brief: Partial<Brief>;
    sources: readonly { number: number; title: string; url?: string; text: string }[];
    /** Every source vouches for every part, cited or not. */
    everyPart?: boolean;
  },
): Promise<FigureReport> {
  const figures = await postFigures(body, options.firstBodyLine);
  const brief = briefTexts(options.brief);
  const cache = new Map<string, Evidence>();
  return traceFigures(figures, (section) => {
    const key = section ? `${section.start}` : 'none';
    let evidence = cache.get(key);
    if (!evidence) {
      const text = section ? sectionText(body, section) : '';
      const cited = new Set(options.everyPart ? options.sources.map((s) => s.number) : citedIn(text, options.sources));
      evidence = evidenceFrom([...brief, ...options.sources.filter((s) => cited.has(s.number)).map((s) => s.text)]);
      cache.set(key, evidence);
    }
    return evidence;
  });
}
