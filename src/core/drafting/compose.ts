import type { Heading, Root, RootContent } from 'mdast';
import { loadMarkdown, parseShared, shareTree, type Markdown } from '../markdown.js';
import { withoutNul } from '../model-text.js';
import { movedNode, treeFromPieces, type ComposedPiece } from './composed-tree.js';
import type { DraftedPart } from './draft-sections.js';

/**
 * Builds the post body as one Markdown tree: the introduction, then each section under a `##`
 * heading. Headings the model used inside a section are pushed below `##` so they stay sub-headings.
 */
export async function composeBody(parts: readonly DraftedPart[]): Promise<string> {
  const md = await loadMarkdown();
  const root: Root = { type: 'root', children: [] };
  const headings: Heading[] = [];
  const replies: ComposedPiece[] = [];
  for (const part of parts) {
    if (part.heading !== null) {
      // The outline's headings are already one line of plain text (cleanOutlineText); a text node
      // makes remark escape whatever in them would read as Markdown.
      const heading: Heading = { type: 'heading', depth: 2, children: [{ type: 'text', value: withoutNul(part.heading) }] };
      root.children.push(heading);
      headings.push(heading);
    }
    // The part's tree is shared (it was parsed to count its words), so a heading is copied, not changed.
    const text = withoutNul(part.markdown);
    const content = (await parseShared(text)).children;
    root.children.push(...content.map(demoteHeading));
    replies.push({ text: text.replace(/\n+$/, ''), nodes: content });
  }
  const body = md.stringify(root);
  // The post is parsed next (its figures are traced, its sections hashed): when it is the replies as
  // they came, joined, its tree is theirs, and only the headings are parsed.
  const pieces = replies.every((r) => body.includes(r.text)) ? piecesOf(parts, headings, replies, md) : undefined;
  const tree = pieces && treeFromPieces(body, pieces);
  if (tree) shareTree(body, tree);
  return body;
}

function demoteHeading(node: RootContent): RootContent {
  return node.type === 'heading' && node.depth < 3 ? { ...node, depth: 3 } : node;
}

/** The post's pieces in order; the headings are parsed together, in one small text of their own. */
function piecesOf(
  parts: readonly DraftedPart[],
  headings: Heading[],
  replies: readonly ComposedPiece[],
  md: Markdown,
): ComposedPiece[] | undefined {
  const headingText = headings.length ? md.stringify({ type: 'root', children: headings }).replace(/\n$/, '') : '';
  const lines = headingText === '' ? [] : headingText.split('\n\n');
  const parsed = headings.length ? md.parse(headingText).children : [];
  if (lines.length !== headings.length || parsed.length !== lines.length || lines.some((l) => l.includes('\n'))) return undefined;
  if (parsed.some((n) => n.type !== 'heading')) return undefined;
  const pieces: ComposedPiece[] = [];
  let h = 0;
  let headingOffset = 0;
  parts.forEach((part, i) => {
    if (part.heading !== null) {
      // One line each, a blank line apart: moved back to the start, each is what it would be parsed alone.
      pieces.push({ text: lines[h]!, nodes: [movedNode(parsed[h]!, -headingOffset, -2 * h)] });
      headingOffset += lines[h]!.length + 2;
      h++;
    }
    pieces.push(replies[i]!);
  });
  return pieces;
}
