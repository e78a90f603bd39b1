import type { Root, RootContent } from 'mdast';
import { blank } from '../check/mask.js';
import { findNotesBlock } from '../document/notes-block.js';
import { loadMarkdown } from '../markdown.js';
import { findConstructs } from '../revise/constructs.js';

/** Bare URLs and `<https://…>` autolinks: GFM makes them link text, but nobody wrote them as prose. */
const BARE_URL = /<?\b(?:https?:\/\/|www\.)[^\s<>)\]]+>?/gi;

export interface ProseTree {
  /** The body's Markdown tree, its text nodes emptied (to spaces) wherever they are not prose. */
  root: Root;
  /** The body with everything that is not prose blanked to spaces; line breaks kept, so every offset still points into the post. */
  prose: string;
}

/**
 * What the style rules may read: not code, HTML and JSX tags, MDX import/export lines, shortcodes and
 * Liquid tags, images, link and footnote definitions, bare URLs, nor the collaboration notes. The body
 * is parsed once (parsing is most of the cost) and the tree is kept: blanking the text and parsing it
 * again could turn a line that started with a shortcode into an indented code block.
 */
export async function proseTree(body: string): Promise<ProseTree> {
  const root = (await loadMarkdown()).parse(body);
  const ranges: [number, number][] = [];
  visit(root, (node) => {
    if (node.type === 'code' || node.type === 'inlineCode') ranges.push(span(node));
  });
  const notes = findNotesBlock(body);
  if (notes) ranges.push([notes.start, notes.end]);
  for (const c of await findConstructs(body, root)) if (c.kind !== 'code') ranges.push([c.start, c.end]);
  let prose = ranges.reduce((text, [start, end]) => blank(text, start, end), body);
  prose = prose.replace(BARE_URL, (url) => ' '.repeat(url.length));

  visit(root, (node) => {
    if (node.type !== 'text') return;
    const [start, end] = span(node);
    const masked = prose.slice(start, end);
    if (masked === body.slice(start, end)) return;
    // A text node's value equals its source unless it holds escapes or entities; then it goes whole.
    node.value = body.slice(start, end) === node.value ? masked : ' '.repeat(node.value.length);
  });
  return { root, prose };
}

function span(node: RootContent): [number, number] {
  return [node.position?.start.offset ?? 0, node.position?.end.offset ?? 0];
}

function visit(node: Root | RootContent, fn: (node: RootContent) => void): void {
  if (node.type !== 'root') fn(node);
  if ('children' in node) for (const child of node.children) visit(child, fn);
}
