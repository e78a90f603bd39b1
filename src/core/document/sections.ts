import { createHash } from 'node:crypto';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { parseSource } from './front-matter.js';
import { plainText, sharedTreeOf, shareTree } from '../markdown.js';
import { findNotesBlock } from './notes-block.js';
import { noteParse } from './parse-watch.js';
import { lineStartOf, nextLineStart } from './text-positions.js';

export interface Section {
  /** Unique within the post: top-level parts are 0..n-1 in order, nested sections come after them. */
  index: number;
  /** Plain text of the heading; null for the untitled lead (text before the first heading). */
  heading: string | null;
  /** Heading depth (0 for the lead). */
  depth: number;
  /** Offset in body where the section begins (the heading line for titled sections). */
  start: number;
  /** Offset just after the heading line(s). */
  contentStart: number;
  /**
   * Offset where the section stops: the next heading of the same or a higher level, the notes block,
   * or the end, and always before a trailing run of link-reference or footnote definitions.
   */
  end: number;
}

export interface BodyStructure {
  /** A single leading H1, if the post has one. */
  title?: { text: string; start: number; end: number };
  /**
   * The top-level parts, in order and without overlaps: the lead when non-empty, then every heading
   * not nested under an earlier one. Never includes the notes block.
   */
  sections: Section[];
  /** The lead and every titled section at any depth, in document order; top-level ones are the objects in `sections`. */
  outline: Section[];
  /** The depth most top-level headings use (a new section gets it); 2 by default. */
  sectionDepth: number;
  /** Runs of definitions that ended a section and so belong to none: they are never sent nor replaced. */
  definitions: { start: number; end: number }[];
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
const frontMatterParser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml', 'toml']).use(remarkGfm);
const markdownParser = unified().use(remarkParse).use(remarkGfm);
const parser = watched(frontMatterParser);
const parserWithoutFrontMatter = watched(markdownParser);

function watched(processor: { parse(text: string): unknown }): { parse(text: string): unknown } {
  return {
    parse(text) {
      noteParse('markdown', text);
      return processor.parse(text);
    },
  };
}

type Tree = { nodes: MdNode[]; markdownStart: number };

// A draft's body is split into sections more than once (its section hashes, tracing its figures, the
// checks); parseBody only reads the tree, so the last few bodies' trees are kept, keyed by the text.
const RECENT_TREES = 32;
const recentTrees = new Map<string, Tree>();

function parseTree(body: string): Tree {
  const hit = recentTrees.get(body);
  if (hit) return hit;
  const tree = parseTreeUncached(body);
  if (recentTrees.size >= RECENT_TREES) recentTrees.delete(recentTrees.keys().next().value!);
  recentTrees.set(body, tree);
  return tree;
}

/** A text that cannot open with front matter parses the same with or without remark-frontmatter. */
const MAY_OPEN_WITH_FRONT_MATTER = /^(?:---|\+\+\+)/;

/** Top-level nodes, and where the Markdown starts (after front matter, when given a whole file). */
function parseTreeUncached(body: string): Tree {
  if (!MAY_OPEN_WITH_FRONT_MATTER.test(body)) {
    // The same tree as markdown.ts's parse, so the two share it both ways (a composed draft body is
    // masked for figures there and split into sections here).
    const root = (sharedTreeOf(body) ?? shareTree(body, parserWithoutFrontMatter.parse(body) as never)) as unknown as MdNode;
    return { nodes: root.children ?? [], markdownStart: 0 };
  }
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

// Link-reference and footnote definitions at the end of a section serve the whole post (other sections
// use them), so a section stops before them and a revision can neither drop nor rewrite them.
const DEFINITION_TYPES = new Set(['definition', 'footnoteDefinition']);

/**
 * Splits a post body into sections by offsets. Only top-level headings count (not ones inside code,
 * quotes or lists), and headings inside the notes block are ignored. Every heading of any level gets
 * a section running to the next heading of the same or a higher level; the ones nested under no
 * earlier heading are the top-level parts.
 */
export function parseBody(body: string): BodyStructure {
  return structureOf(body, parseTree(body), findNotesBlock(body) ?? undefined);
}

/**
 * What parseBody(body) gives, for a body that is `markdown` (a composed draft, whose tree is usually
 * shared already) after blank lines and followed by the notes block, without parsing the notes; or
 * undefined when the body is not of that shape and must be parsed whole.
 */
export function parseBodyBeforeNotes(body: string, markdown: string): BodyStructure | undefined {
  const notes = findNotesBlock(body);
  const lead = /^\n*/.exec(body)![0].length;
  const content = markdown.replace(/(?:\r?\n[ \t]*)+$/, '');
  const contentEnd = lead + content.length;
  // The trees agree only when nothing in the notes can reach back into the Markdown before them:
  // - a blank line, then a marker at the start of its line, closes every block a Markdown text can
  //   leave open there (a paragraph, a list, a quote, a table); a construct the marker cannot close (an
  //   unclosed fence or HTML comment) swallows the notes in the whole parse, where parseBody ignores
  //   them anyway, and findNotesBlock finds no block after a fence it sees open;
  // - only a link or footnote definition (`[x]:`) acts on text before it, by resolving a reference
  //   in a heading there;
  // - after the notes, nothing but white space.
  if (
    content === '' ||
    !notes ||
    !body.startsWith(content, lead) ||
    !/^\n[ \t]*\n(?:[ \t]*\n)*$/.test(body.slice(contentEnd, notes.start)) ||
    /^\s/.test(body.slice(notes.start, notes.start + 1)) ||
    body.slice(notes.end).trim() !== '' ||
    body.includes(']:', notes.start)
  ) {
    return undefined;
  }
  // The same tree as the whole body's (a text that starts with a blank line is never front matter),
  // moved by the blank lines before it; only the top-level nodes' offsets are read.
  const root = (sharedTreeOf(markdown) ?? shareTree(markdown, parserWithoutFrontMatter.parse(markdown) as never)) as unknown as MdNode;
  const nodes = (root.children ?? []).map((n) => moved(n, lead));
  return structureOf(body, { nodes, markdownStart: 0 }, notes);
}

function moved(node: MdNode, by: number): MdNode {
  const { start, end } = node.position ?? {};
  if (start?.offset === undefined || end?.offset === undefined) return node;
  return { ...node, position: { start: { offset: start.offset + by }, end: { offset: end.offset + by } } };
}

function structureOf(body: string, tree: Tree, notes: { start: number; end: number } | undefined): BodyStructure {
  const inNotes = (offset: number): boolean => notes !== undefined && offset >= notes.start && offset < notes.end;
  const { nodes: allNodes, markdownStart } = tree;
  const nodes = allNodes.filter((n) => n.position?.start.offset !== undefined && !inNotes(n.position.start.offset));
  const headings: HeadingInfo[] = [];
  for (const node of nodes) {
    const startOffset = node.position?.start.offset;
    const endOffset = node.position?.end.offset;
    if (node.type !== 'heading' || startOffset === undefined || endOffset === undefined) continue;
    headings.push({
      text: plainText(node),
      depth: node.depth ?? 1,
      start: lineStartOf(body, startOffset),
      contentStart: nextLineStart(body, endOffset),
    });
  }

  const first = headings[0];
  const firstNode = allNodes[0];
  const leadsWithH1 =
    first !== undefined &&
    first.depth === 1 &&
    firstNode?.type === 'heading' &&
    lineStartOf(body, firstNode.position?.start.offset ?? -1) === first.start;
  const loneH1 = leadsWithH1 && headings.filter((h) => h.depth === 1).length === 1;
  const title = loneH1 && first ? { text: first.text, start: first.start, end: first.contentStart } : undefined;
  const sectionHeadings = title ? headings.slice(1) : headings;

  const definitions: { start: number; end: number }[] = [];
  // A range stops at `next`, or at the notes block when that comes first, then before trailing definitions.
  const endOf = (start: number, next: number): number => {
    const limit = notes && notes.start >= start && notes.start < next ? notes.start : next;
    const inside = nodes.filter((n) => n.position!.start.offset! >= start && n.position!.start.offset! < limit);
    let end = limit;
    for (let i = inside.length - 1; i >= 0 && DEFINITION_TYPES.has(inside[i]!.type); i--) {
      end = lineStartOf(body, inside[i]!.position!.start.offset!);
    }
    if (end < limit && !definitions.some((d) => d.start === end))
      definitions.push({ start: end, end: lastContentEnd(body, inside, limit) });
    return end;
  };

  const sections: Section[] = [];
  const outline: Section[] = [];
  const leadStart = title?.end ?? markdownStart;
  const leadEnd = endOf(leadStart, sectionHeadings[0]?.start ?? body.length);
  if (body.slice(leadStart, leadEnd).trim() !== '') {
    const lead = { index: 0, heading: null, depth: 0, start: leadStart, contentStart: leadStart, end: leadEnd };
    sections.push(lead);
    outline.push(lead);
  }
  // A heading is top-level exactly when no earlier heading is shallower; otherwise it sits inside the
  // last of the shallowest ones before it.
  let shallowest = Number.POSITIVE_INFINITY;
  const nested: Section[] = [];
  sectionHeadings.forEach((h, i) => {
    const next = sectionHeadings.slice(i + 1).find((later) => later.depth <= h.depth);
    const section: Section = {
      index: -1,
      heading: h.text,
      depth: h.depth,
      start: h.start,
      contentStart: h.contentStart,
      end: Math.max(h.contentStart, endOf(h.start, next?.start ?? body.length)),
    };
    if (h.depth <= shallowest) {
      shallowest = h.depth;
      section.index = sections.length;
      sections.push(section);
    } else {
      nested.push(section);
    }
    outline.push(section);
  });
  for (const [i, s] of nested.entries()) s.index = sections.length + i;
  definitions.sort((a, b) => a.start - b.start);

  const structure: BodyStructure = { sections, outline, sectionDepth: usualDepth(sections), definitions };
  if (title) structure.title = title;
  if (notes) structure.notes = notes;
  return structure;
}

/** The most common depth among top-level headings; on a tie the deeper, as one H1 among `##`s is the odd one out. */
function usualDepth(sections: readonly Section[]): number {
  const counts = new Map<number, number>();
  for (const s of sections) if (s.heading !== null) counts.set(s.depth, (counts.get(s.depth) ?? 0) + 1);
  let best = DEFAULT_SECTION_DEPTH;
  let bestCount = 0;
  for (const [depth, count] of [...counts].sort((a, b) => a[0] - b[0])) {
    if (count >= bestCount) [best, bestCount] = [depth, count];
  }
  return best;
}

/** Where a run of trailing definitions ends: after its last line, before the blank lines that follow. */
function lastContentEnd(body: string, inside: readonly MdNode[], limit: number): number {
  const last = inside.at(-1)?.position?.end.offset;
  return last === undefined ? limit : Math.min(limit, nextLineStart(body, last));
}

/** The top-level part a section belongs to (itself when it is one). */
export function topLevelOf(structure: BodyStructure, section: Section): Section {
  if (structure.sections.includes(section)) return section;
  return structure.sections.filter((s) => s.start <= section.start).at(-1) ?? section;
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

export { findSections, headingOutline } from './section-names.js';

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
