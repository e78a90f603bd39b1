import { createHash } from 'node:crypto';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { UsageError } from '../errors.js';
import { parseSource } from './front-matter.js';
import { findNotesBlock } from './notes-block.js';

export interface Section {
  index: number;
  /** Plain text of the heading; null for the untitled lead (text before the first section heading). */
  heading: string | null;
  /** Heading depth (0 for the lead). */
  depth: number;
  /** Offset in body where the section begins (the heading line for titled sections). */
  start: number;
  /** Offset just after the heading line(s). */
  contentStart: number;
  /** Offset where the next section (or the notes block, or the end) begins. */
  end: number;
}

export interface BodyStructure {
  /** A single leading H1, if the post has one. */
  title?: { text: string; start: number; end: number };
  /** In order; lead first when non-empty; never includes the notes block. */
  sections: Section[];
  /** The heading depth that splits sections (smallest depth used, ignoring a lone H1 title); 2 by default. */
  sectionDepth: number;
  /** The collaboration-notes block, if present. */
  notes?: { start: number; end: number };
}

/** Just the mdast fields used here, so no type package beyond what remark ships is needed. */
interface MdNode {
  type: string;
  depth?: number;
  value?: string;
  alt?: string;
  children?: MdNode[];
  position?: { start: { offset?: number }; end: { offset?: number } };
}

interface HeadingInfo {
  text: string;
  depth: number;
  start: number;
  contentStart: number;
}

const DEFAULT_SECTION_DEPTH = 2;

// Parsing only; the tree is never serialised back, so the author's bytes are never rewritten.
// remark-frontmatter lets a whole file be passed in as well as a body.
const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml', 'toml']).use(remarkGfm);
const parserWithoutFrontMatter = unified().use(remarkParse).use(remarkGfm);

/** Top-level nodes, and where the Markdown starts (after front matter, when given a whole file). */
function parseTree(body: string): { nodes: MdNode[]; markdownStart: number } {
  const nodes = (parser.parse(body) as MdNode).children ?? [];
  const first = nodes[0];
  if (first?.type !== 'yaml' && first?.type !== 'toml') return { nodes, markdownStart: 0 };
  // A body can open with a `---` rule and have another further down; remark-frontmatter would swallow
  // everything between them. Only keep the front matter reading when it really is front matter.
  try {
    if (parseSource(body, 'body').format !== 'none') {
      return { nodes: nodes.slice(1), markdownStart: nextLineStart(body, first.position?.end.offset ?? 0) };
    }
  } catch {
    // Not valid front matter: read it as Markdown.
  }
  return { nodes: (parserWithoutFrontMatter.parse(body) as MdNode).children ?? [], markdownStart: 0 };
}

/**
 * Splits a post body into sections by offsets. Only top-level headings count (not ones inside code,
 * quotes or lists), and headings inside the notes block are ignored.
 */
export function parseBody(body: string): BodyStructure {
  const notes = findNotesBlock(body) ?? undefined;
  const inNotes = (offset: number): boolean => notes !== undefined && offset >= notes.start && offset < notes.end;
  const { nodes, markdownStart } = parseTree(body);
  const headings: HeadingInfo[] = [];
  for (const node of nodes) {
    const startOffset = node.position?.start.offset;
    const endOffset = node.position?.end.offset;
    if (node.type !== 'heading' || startOffset === undefined || endOffset === undefined || inNotes(startOffset)) continue;
    headings.push({
      text: plainText(node),
      depth: node.depth ?? 1,
      start: lineStartOf(body, startOffset),
      contentStart: nextLineStart(body, endOffset),
    });
  }

  const first = headings[0];
  const firstNode = nodes[0];
  const leadsWithH1 =
    first !== undefined &&
    first.depth === 1 &&
    firstNode?.type === 'heading' &&
    lineStartOf(body, firstNode.position?.start.offset ?? -1) === first.start;
  const loneH1 = leadsWithH1 && headings.filter((h) => h.depth === 1).length === 1;
  const title = loneH1 && first ? { text: first.text, start: first.start, end: first.contentStart } : undefined;
  const sectionHeadings = title ? headings.slice(1) : headings;
  const sectionDepth = sectionHeadings.length > 0 ? Math.min(...sectionHeadings.map((h) => h.depth)) : DEFAULT_SECTION_DEPTH;
  const splitters = sectionHeadings.filter((h) => h.depth === sectionDepth);

  // A section stops at the next splitter, the end of the body, or the notes block, whichever is first.
  const endFrom = (start: number, next: number): number =>
    notes && notes.start >= start && notes.start < next ? notes.start : next;

  const sections: Section[] = [];
  const leadStart = title?.end ?? markdownStart;
  const leadEnd = endFrom(leadStart, splitters[0]?.start ?? body.length);
  if (body.slice(leadStart, leadEnd).trim() !== '') {
    sections.push({ index: 0, heading: null, depth: 0, start: leadStart, contentStart: leadStart, end: leadEnd });
  }
  splitters.forEach((h, i) => {
    sections.push({
      index: sections.length,
      heading: h.text,
      depth: h.depth,
      start: h.start,
      contentStart: h.contentStart,
      end: endFrom(h.start, splitters[i + 1]?.start ?? body.length),
    });
  });

  const structure: BodyStructure = { sections, sectionDepth };
  if (title) structure.title = title;
  if (notes) structure.notes = notes;
  return structure;
}

export function sectionText(body: string, s: Section): string {
  return body.slice(s.start, s.end);
}

export function spliceRange(text: string, start: number, end: number, replacement: string): string {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end || end > text.length) {
    throw new RangeError(`spliceRange: invalid range ${start}..${end} for a text of length ${text.length}`);
  }
  return text.slice(0, start) + replacement + text.slice(end);
}

/**
 * Resolves section names the user typed: case-insensitive, an exact heading wins, otherwise a unique
 * start of one. Results follow the order of the queries, without duplicates.
 */
/** What an editor types to mean the untitled text before the first heading. */
const LEAD_NAMES = new Set(['intro', 'introduction', 'lead']);

export function findSections(structure: BodyStructure, queries: string[], fileLabel: string): Section[] {
  const titled = structure.sections.filter((s): s is Section & { heading: string } => s.heading !== null);
  const lead = structure.sections.find((s) => s.heading === null);
  const all = titled.map((s) => `"${s.heading}"`).join(', ');
  const found: Section[] = [];
  for (const query of queries) {
    const wanted = normalizeHeading(query);
    if (wanted === '') {
      throw new UsageError(`${fileLabel}: empty section name`, { hint: `Sections in this post: ${all}.` });
    }
    const exact = titled.filter((s) => normalizeHeading(s.heading) === wanted);
    // A heading really called "Introduction" wins over the untitled lead.
    const leadMatch = exact.length === 0 && lead && LEAD_NAMES.has(wanted) ? [lead] : [];
    const matches = exact.length > 0 ? exact : leadMatch.length > 0 ? leadMatch : titled.filter((s) => normalizeHeading(s.heading).startsWith(wanted));
    const [match] = matches;
    if (!match) {
      if (titled.length === 0) {
        throw new UsageError(`${fileLabel}: the post has no section headings to choose from`, {
          hint: 'Revise the whole post instead (it is one section), or add headings to it first.',
        });
      }
      throw new UsageError(`${fileLabel}: no section matches "${query}"; the post has ${all}`, {
        hint: 'Give a heading as it appears in the post, or the unique start of one; "introduction" is the text before the first heading.',
      });
    }
    if (matches.length > 1) {
      const names = matches.map((s) => `"${s.heading}"`).join(', ');
      throw new UsageError(`${fileLabel}: "${query}" matches several sections: ${names}`, {
        hint: `Type more of the heading. Sections in this post: ${all}.`,
      });
    }
    if (!found.includes(match)) found.push(match);
  }
  return found;
}

/**
 * Fingerprint of a section's text that ignores line-ending changes and trailing whitespace, so an
 * editor that only re-saves the file does not count as a hand edit.
 */
export function contentHash(text: string): string {
  const normalized = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\s+$/, '');
  return createHash('sha256').update(normalized).digest('hex').slice(0, 16);
}

function normalizeHeading(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

function plainText(node: MdNode): string {
  const collect = (n: MdNode): string => {
    if (n.type === 'html') return '';
    if (n.type === 'image' || n.type === 'imageReference') return n.alt ?? '';
    if (n.type === 'break') return ' ';
    if (typeof n.value === 'string') return n.value;
    return (n.children ?? []).map(collect).join('');
  };
  return collect(node).replace(/\s+/g, ' ').trim();
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}
