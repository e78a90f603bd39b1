import { UsageError } from '../errors.js';
import type { BodyStructure, Section } from './sections.js';

/** What an editor types to mean the untitled text before the first heading. */
const LEAD_NAMES = new Set(['intro', 'introduction', 'lead']);

type Titled = Section & { heading: string };

interface Named {
  section: Titled;
  /** 1-based, counting every heading in document order (a title H1 included). */
  position: number;
}

/**
 * Resolves the section names the user typed, at any heading level. A name matches ignoring case,
 * curly versus straight quotes, runs of whitespace, an ATX closing `#` run and a `{#id}` or MDX
 * `{/*id*\/}` suffix. An exact heading wins, then `Heading#N` (the Nth heading with that text) or `@N`
 * (the Nth heading in the post), then "introduction" for the lead, then a unique start of a heading.
 * Results follow the order of the queries, without duplicates; two that overlap are refused.
 */
export function findSections(structure: BodyStructure, queries: string[], fileLabel: string): Section[] {
  const named = namedSections(structure);
  const lead = structure.sections.find((s) => s.heading === null);
  const found: Section[] = [];
  for (const query of queries) {
    const match = resolve(query, structure, named, lead, fileLabel);
    if (found.includes(match)) continue;
    const overlap = found.find((other) => other.start < match.end && match.start < other.end);
    if (overlap) {
      const [outer, inner] = overlap.start <= match.start && match.end <= overlap.end ? [overlap, match] : [match, overlap];
      throw new UsageError(
        `${fileLabel}: the sections ${describe(inner)} and ${describe(outer)} overlap: the first is part of the second`,
        {
          hint: `Name only one of them; a section includes the headings under it.`,
        },
      );
    }
    found.push(match);
  }
  return found;
}

/** The post's headings as an indented outline, one per line, each with its `@N` position. */
export function headingOutline(structure: BodyStructure): string {
  const rows: { text: string; depth: number; position: number; note?: string }[] = [];
  if (structure.title) rows.push({ text: structure.title.text, depth: 1, position: 1, note: ' (the title; change it with --title)' });
  for (const { section, position } of namedSections(structure)) rows.push({ text: section.heading, depth: section.depth, position });
  const shallowest = Math.min(...rows.map((r) => r.depth));
  return rows.map((r) => `${'  '.repeat(1 + r.depth - shallowest)}@${r.position} "${r.text}"${r.note ?? ''}`).join('\n');
}

function resolve(query: string, structure: BodyStructure, named: readonly Named[], lead: Section | undefined, fileLabel: string): Section {
  const wanted = normalizeHeading(query);
  const outline = (): string => headingOutline(structure);
  if (named.length === 0 && !(lead && LEAD_NAMES.has(wanted))) {
    throw new UsageError(`${fileLabel}: the post has no section headings to choose from`, {
      hint: 'Revise the whole post instead (it is one section), or add headings to it first.',
    });
  }
  if (wanted === '') throw new UsageError(`${fileLabel}: empty section name`, { hint: `The post's headings:\n${outline()}` });

  // A heading that really reads "Issue #2" or "@2" wins over the position syntax.
  const exact = named.filter((n) => normalizeHeading(n.section.heading) === wanted);
  if (exact.length === 1) return exact[0]!.section;
  if (exact.length > 1) throw ambiguous(query, exact, named, structure, fileLabel);

  const position = /^@(\d+)$/.exec(query.trim());
  if (position) return byPosition(Number(position[1]), query, structure, named, fileLabel);

  const nth = /^(.*\S)\s*#(\d+)$/.exec(query.trim());
  if (nth) {
    const same = named.filter((n) => normalizeHeading(n.section.heading) === normalizeHeading(nth[1]!));
    const n = Number(nth[2]);
    if (same.length > 0) {
      if (n >= 1 && n <= same.length) return same[n - 1]!.section;
      throw new UsageError(
        `${fileLabel}: --section "${query}": ` +
          `the post has ${same.length === 1 ? 'only one heading' : `only ${same.length} headings`} "${same[0]!.section.heading}"`,
        {
          hint: candidatesHint(same, named),
        },
      );
    }
  }

  // A heading really called "Introduction" won above, over the untitled lead.
  if (lead && LEAD_NAMES.has(wanted)) return lead;

  const starts = named.filter((n) => normalizeHeading(n.section.heading).startsWith(wanted));
  if (starts.length === 1) return starts[0]!.section;
  if (starts.length > 1) throw ambiguous(query, starts, named, structure, fileLabel);
  throw new UsageError(`${fileLabel}: no section matches "${query}"`, {
    hint:
      'Give a heading as it appears in the post (or the unique start of one), "introduction" for the text before the first heading, ' +
      `or @N for the Nth heading. The post's headings:\n${outline()}`,
  });
}

function byPosition(n: number, query: string, structure: BodyStructure, named: readonly Named[], fileLabel: string): Section {
  const hit = named.find((x) => x.position === n);
  if (hit) return hit.section;
  if (structure.title && n === 1) {
    throw new UsageError(`${fileLabel}: --section ${query} is the post's title, not a section`, {
      hint: `Use --title to propose a new title. The post's headings:\n${headingOutline(structure)}`,
    });
  }
  const total = named.length + (structure.title ? 1 : 0);
  throw new UsageError(`${fileLabel}: --section ${query}: the post has ${total} heading${total === 1 ? '' : 's'}`, {
    hint: `@N counts every heading from the top, starting at @1. The post's headings:\n${headingOutline(structure)}`,
  });
}

function ambiguous(
  query: string,
  matches: readonly Named[],
  named: readonly Named[],
  structure: BodyStructure,
  fileLabel: string,
): UsageError {
  const names = matches.map((m) => `"${m.section.heading}"`).join(', ');
  return new UsageError(`${fileLabel}: "${query}" matches several sections: ${names}`, {
    hint: `${candidatesHint(matches, named)}\nThe post's headings:\n${headingOutline(structure)}`,
  });
}

/** How to name each candidate unambiguously: its full heading, `Heading#N` among duplicates, or `@N`. */
function candidatesHint(candidates: readonly Named[], named: readonly Named[]): string {
  const lines = candidates.map(({ section, position }) => {
    const same = named.filter((n) => normalizeHeading(n.section.heading) === normalizeHeading(section.heading));
    const byName = same.length === 1 ? section.heading : `${section.heading}#${same.findIndex((n) => n.section === section) + 1}`;
    return `  --section "${byName}" or --section @${position}`;
  });
  return (
    'Type more of the heading, or name one by position ("Heading#2" is the 2nd heading with that text, @N the Nth heading in the post):\n' +
    lines.join('\n')
  );
}

function namedSections(structure: BodyStructure): Named[] {
  const offset = structure.title ? 2 : 1;
  return structure.outline.filter((s): s is Titled => s.heading !== null).map((section, i) => ({ section, position: i + offset }));
}

function describe(section: Section): string {
  return section.heading === null ? 'the introduction' : `"${section.heading}"`;
}

const QUOTES: [RegExp, string][] = [
  [/[‘’‚‛′]/g, "'"],
  [/[“”„″]/g, '"'],
];

/**
 * A heading or a typed name, reduced to what an editor would consider the same words: quotes, ids,
 * closing hashes, emphasis marks, spacing, case and a trailing colon or full stop do not count.
 */
export function normalizeHeading(text: string): string {
  let out = text.normalize('NFC');
  for (const [pattern, plain] of QUOTES) out = out.replace(pattern, plain);
  return (
    out
      .replace(/\s*\{#[^}]*\}\s*$/, '')
      // `{/*id*/}` as typed, or as read from a .md file, where the asterisks became emphasis: `{/id/}`.
      .replace(/\s*\{\/\*?[^{}]*?\*?\/\}\s*$/, '')
      .replace(/\s+#+\s*$/, '')
      .replace(/[*_`]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/[:.]$/, '')
      .trimEnd()
      .toLowerCase()
  );
}
