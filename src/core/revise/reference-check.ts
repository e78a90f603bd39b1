import type { Root, RootContent } from 'mdast';
import { parseSource, type SourceFile } from '../document/front-matter.js';
import { parseBody } from '../document/sections.js';
import { RunError } from '../errors.js';
import { loadMarkdown, parseShared } from '../markdown.js';
import type { LoadedPost } from './post.js';

/** A reference label as written, and its key: footnotes and links are separate namespaces. */
export interface Label {
  key: string;
  /** As written, e.g. `Nvidia Q4` or `^1`. */
  label: string;
  footnote: boolean;
}

export interface ReferenceUse extends Label {
  /** Offset in the text that was parsed. */
  offset: number;
}

/**
 * CommonMark matches labels case-insensitively with whitespace collapsed; mdast's `identifier` is
 * already normalised that way, and this keeps it so whatever the identifier's source.
 */
export function labelKey(identifier: string, footnote: boolean): string {
  // micromark's normalizeIdentifier (a case fold), then lower case as mdast stores it.
  const normal = identifier
    .replace(/[\t\n\r ]+/g, ' ')
    .trim()
    .toLowerCase()
    .toUpperCase()
    .toLowerCase();
  return footnote ? `^${normal}` : normal;
}

export function showLabel(label: Label): string {
  return label.footnote ? `[^${label.label}]` : `[${label.label}]`;
}

type Node = Root | RootContent;

function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  if ('children' in node) for (const child of node.children) walk(child, visit);
}

/**
 * Every reference that resolves. micromark only makes a `linkReference`, `imageReference` or
 * `footnoteReference` when a definition exists, so a use without one is plain text and not listed.
 */
export function referenceUses(root: Root): ReferenceUse[] {
  const uses: ReferenceUse[] = [];
  walk(root, (node) => {
    if (node.type === 'linkReference' || node.type === 'imageReference' || node.type === 'footnoteReference') {
      const footnote = node.type === 'footnoteReference';
      uses.push({
        key: labelKey(node.identifier, footnote),
        label: node.label ?? node.identifier,
        footnote,
        offset: node.position?.start.offset ?? 0,
      });
    }
  });
  return uses;
}

export function definitionsOf(root: Root): Map<string, Label & { offset: number }> {
  const out = new Map<string, Label & { offset: number }>();
  walk(root, (node) => {
    if (node.type === 'definition' || node.type === 'footnoteDefinition') {
      const footnote = node.type === 'footnoteDefinition';
      const key = labelKey(node.identifier, footnote);
      if (!out.has(key)) out.set(key, { key, label: node.label ?? node.identifier, footnote, offset: node.position?.start.offset ?? 0 });
    }
  });
  return out;
}

/**
 * Where `markdown` uses any of `labels` although it does not define them. The parser decides what
 * counts as a use: the text is parsed with stand-in definitions put in front, so `[x][label]`,
 * `[label][]`, a shortcut `[label]` and `[^label]` are found exactly as CommonMark and GFM read them.
 */
export async function usesWithoutDefinition(markdown: string, labels: readonly Label[]): Promise<ReferenceUse[]> {
  if (labels.length === 0) return [];
  // The trees are only read here: the text's is shared (a reply is checked three ways, a body is the post's).
  const defined = definitionsOf(await parseShared(markdown));
  const missing = labels.filter((l) => !defined.has(l.key));
  if (missing.length === 0) return [];
  const prefix = `${missing.map((l) => (l.footnote ? `[^${l.label}]: stand-in` : `[${l.label}]: #stand-in`)).join('\n\n')}\n\n`;
  const wanted = new Set(missing.map((l) => l.key));
  const md = await loadMarkdown();
  return referenceUses(md.parse(prefix + markdown))
    .filter((use) => wanted.has(use.key) && use.offset >= prefix.length)
    .map((use) => ({ ...use, offset: use.offset - prefix.length }));
}

/** Keys of the labels used in `body` outside [start, end) (another part of the post). */
export async function labelsUsedOutside(body: string, start: number, end: number): Promise<Set<string>> {
  return new Set(
    referenceUses(await parseShared(body))
      .filter((u) => u.offset < start || u.offset >= end)
      .map((u) => u.key),
  );
}

export interface BrokenReference extends Label {
  /** Offsets in `after` where the text still uses it. */
  uses: number[];
}

/**
 * References that resolve in `before` and would not in `after`: their definition is gone while
 * the text still uses them. A use that was removed along with its definition breaks nothing.
 */
export async function brokenReferences(before: string, after: string): Promise<BrokenReference[]> {
  const resolved = new Map<string, Label>();
  for (const use of referenceUses(await parseShared(before))) if (!resolved.has(use.key)) resolved.set(use.key, use);
  const broken = new Map<string, BrokenReference>();
  for (const use of await usesWithoutDefinition(after, [...resolved.values()])) {
    const entry = broken.get(use.key) ?? { ...resolved.get(use.key)!, uses: [] };
    entry.uses.push(use.offset);
    broken.set(use.key, entry);
  }
  return [...broken.values()];
}

/**
 * The safety net after every revision: whatever each step did, a reference or footnote that worked
 * in the original must still work in the proposed file, or nothing is written.
 */
export async function assertReferencesResolve(
  post: LoadedPost,
  proposedText: string,
  after: Pick<SourceFile, 'frontMatter' | 'body'> = parseSource(proposedText, post.label),
): Promise<void> {
  const broken = await brokenReferences(post.src.body, after.body);
  if (broken.length === 0) return;
  const sections = parseBody(after.body).sections;
  const firstLine = countLines(after.frontMatter) + 1;
  const where = (offset: number) => {
    const section = [...sections].reverse().find((s) => s.start <= offset);
    return {
      line: firstLine + countLines(after.body.slice(0, offset)),
      part: !section ? 'the text' : section.heading === null ? 'the introduction' : `“${section.heading}”`,
    };
  };
  const parts = broken.map((b) => {
    const places = b.uses.map(where);
    const lines = places.map((p) => p.line);
    const names = [...new Set(places.map((p) => p.part))];
    return `${showLabel(b)} (line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}, in ${names.join(', ')})`;
  });
  throw new RunError(
    `${post.label}: the revision removes the definition of ${broken.length === 1 ? 'a reference' : `${broken.length} references`} ` +
      `the post still uses: ${parts.join('; ')}`,
    {
      hint: 'nothing was written; try again, or ask in --instruction to keep the definitions (e.g. "[label]: URL" lines) as they are',
      code: 'reference-broken',
    },
  );
}

function countLines(text: string): number {
  let n = 0;
  for (const ch of text) if (ch === '\n') n++;
  return n;
}
