import type { Root, RootContent } from 'mdast';
import { loadMarkdown } from '../markdown.js';
import { labelKey, type Label } from './reference-check.js';

/**
 * The parts of a post that are not prose: a revision of the prose around them must leave them as
 * they were. Hugo, Jekyll, Eleventy and MDX builds break on a lost `>}}` or `</Tabs>`, and a lost
 * code block or image is lost content.
 */
export type ConstructKind = 'code' | 'image' | 'html' | 'jsx' | 'esm' | 'shortcode' | 'liquid' | 'footnote' | 'definition';

export interface Construct {
  kind: ConstructKind;
  /** What must match in the reply: exact for code and template tags, whitespace-collapsed for HTML/JSX, the URL for images. */
  key: string;
  /** As written in the text. */
  text: string;
  start: number;
  end: number;
  /** For definitions: the label they define (kept only while something uses it). */
  label?: Label;
}

export type Node = Root | RootContent;
type Candidate = Omit<Construct, 'kind'> & { kind: ConstructKind | 'mask' };

const ESM_LINE = /^(import\s.+|export\s+(?:const|let|var|function|default|\{).*)$/;
const TEMPLATE_TAGS: [ConstructKind, RegExp][] = [
  ['shortcode', /\{\{<(?:(?!\n[ \t]*\n)[\s\S])*?>\}\}/g],
  ['shortcode', /\{\{%(?:(?!\n[ \t]*\n)[\s\S])*?%\}\}/g],
  ['liquid', /\{%(?:(?!\n[ \t]*\n)[\s\S])*?%\}/g],
  ['liquid', /\{\{(?:(?!\n[ \t]*\n)[\s\S])*?\}\}/g],
];

/** Every construct of a Markdown text, innermost ones inside another (a `{{ }}` in a JSX prop) left out. */
export async function findConstructs(markdown: string, root?: Root): Promise<Construct[]> {
  root ??= (await loadMarkdown()).parse(markdown);
  const candidates: Candidate[] = [];
  const add = (kind: Candidate['kind'], node: Node, key: string, extra: Partial<Construct> = {}) => {
    const start = node.position?.start.offset ?? 0;
    const end = node.position?.end.offset ?? start;
    candidates.push({ kind, key, text: markdown.slice(start, end), start, end, ...extra });
  };

  const visit = (node: Node, parent: Node | undefined) => {
    switch (node.type) {
      case 'code':
        add('code', node, `${node.lang ?? ''} ${node.meta ?? ''}\n${node.value}`);
        return;
      case 'inlineCode':
        add('mask', node, '');
        return;
      case 'html':
        // JSX is found tag by tag below (its children are prose an editor may revise); HTML is raw, so whole.
        if (!isJsx(node.value)) add('html', node, collapse(node.value));
        return;
      case 'image':
        add('image', node, node.url);
        break;
      case 'imageReference':
        add('image', node, labelKey(node.identifier, false));
        break;
      case 'definition': {
        const label = { key: labelKey(node.identifier, false), label: node.label ?? node.identifier, footnote: false };
        add('definition', node, `${label.key} ${node.url}`, { label });
        break;
      }
      case 'footnoteDefinition': {
        const label = { key: labelKey(node.identifier, true), label: node.label ?? node.identifier, footnote: true };
        add('definition', node, label.key, { label });
        break;
      }
      case 'paragraph':
        if (parent?.type === 'root') addEsmLines(markdown, node, candidates);
        break;
    }
    if ('children' in node) for (const child of node.children) visit(child, node);
  };
  visit(root, undefined);

  // Template tags and JSX are not Markdown syntax: found in the text, with code masked out.
  let masked = mask(
    markdown,
    candidates.filter((c) => c.kind === 'code' || c.kind === 'mask'),
  );
  for (const [kind, pattern] of TEMPLATE_TAGS) {
    const found = [...masked.matchAll(pattern)].map((m) => ({ kind, key: m[0], text: m[0], start: m.index!, end: m.index! + m[0].length }));
    candidates.push(...found);
    masked = mask(masked, found);
  }
  // A part's footnote reference usually has its definition elsewhere, so the parser alone would
  // read it as text: GFM's `[^label]` (not followed by `:`) is found in the text.
  for (const m of masked.matchAll(/\[\^([^\]\s]+)\](?!:)/g)) {
    candidates.push({ kind: 'footnote', key: labelKey(m[1]!, true), text: m[0], start: m.index!, end: m.index! + m[0].length });
  }
  for (const tag of scanTags(
    mask(
      markdown,
      candidates.filter((c) => c.kind === 'code' || c.kind === 'mask'),
    ),
  )) {
    if (tag.jsx) candidates.push({ kind: 'jsx', key: collapse(tag.text), text: tag.text, start: tag.start, end: tag.end });
  }

  // A definition's own text may hold constructs; they count on their own, so it contains nothing.
  const inside = (a: Candidate, b: Candidate) =>
    a !== b && b.kind !== 'definition' && b.start <= a.start && a.end <= b.end && b.end - b.start > a.end - a.start;
  return candidates
    .filter((c): c is Construct => c.kind !== 'mask')
    .filter((c) => !candidates.some((other) => inside(c, other)))
    .sort((a, b) => a.start - b.start);
}

function addEsmLines(markdown: string, node: Node, candidates: Candidate[]): void {
  const start = node.position?.start.offset ?? 0;
  const text = markdown.slice(start, node.position?.end.offset ?? start);
  if (!/^(import|export)\s/.test(text)) return;
  let at = start;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (ESM_LINE.test(trimmed)) candidates.push({ kind: 'esm', key: trimmed, text: trimmed, start: at, end: at + line.length });
    at += line.length + 1;
  }
}

interface Tag {
  name: string;
  closing: boolean;
  selfClosing: boolean;
  jsx: boolean;
  text: string;
  start: number;
  end: number;
}

const TAG_START = /<(\/?)([A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z][\w-]*)*)?(?=[\s/>])/y;

/**
 * HTML and JSX tags, read with a small scanner rather than a regex so that `>` inside quotes or
 * `{...}` props does not end a tag. `<https://…>` autolinks and `a < b` are not tags.
 */
export function scanTags(text: string): Tag[] {
  const tags: Tag[] = [];
  for (let i = text.indexOf('<'); i !== -1; i = text.indexOf('<', i + 1)) {
    if (text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i + 4);
      if (close !== -1) i = close;
      continue;
    }
    TAG_START.lastIndex = i;
    const m = TAG_START.exec(text);
    if (!m) continue;
    const name = m[2] ?? '';
    if (name === '' && text[i + m[0].length] !== '>') continue; // only <> and </> as fragments
    let j = i + m[0].length;
    let quote = '';
    let depth = 0;
    for (; j < text.length; j++) {
      const ch = text[j]!;
      if (quote) {
        if (ch === quote) quote = '';
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '{') depth++;
      else if (ch === '}') depth = Math.max(0, depth - 1);
      else if (ch === '>' && depth === 0) break;
      else if (ch === '<' && depth === 0) break;
      if (ch === '\n' && /^\n[ \t]*\n/.test(text.slice(j))) break;
    }
    if (text[j] !== '>') continue;
    const raw = text.slice(i, j + 1);
    tags.push({
      name,
      closing: m[1] === '/',
      selfClosing: raw.endsWith('/>'),
      jsx: name === '' || /^[A-Z]/.test(name) || name.includes('.'),
      text: raw,
      start: i,
      end: j + 1,
    });
    i = j;
  }
  return tags;
}

export const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

function isJsx(html: string): boolean {
  return /^<\/?([A-Z]|[A-Za-z][\w-]*\.|>)/.test(html.trim());
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The same text with the given ranges blanked (offsets kept, line breaks kept). */
export function mask(text: string, ranges: readonly { start: number; end: number }[]): string {
  let out = text;
  for (const r of ranges) out = out.slice(0, r.start) + out.slice(r.start, r.end).replace(/[^\n]/g, ' ') + out.slice(r.end);
  return out;
}
