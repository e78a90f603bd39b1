import type { Root, RootContent } from 'mdast';

/** A piece of the composed post: its exact text there, and the tree of that text parsed on its own. */
export interface ComposedPiece {
  text: string;
  nodes: readonly RootContent[];
}

// A blank line ends these, and nothing after one can continue them (a list, a fence, an HTML block or
// indented code could run on into the next piece).
const ENDED_BY_BLANK_LINE = new Set(['paragraph', 'heading', 'thematicBreak', 'table', 'blockquote']);

/**
 * The tree a parse of `text` would give, built from its pieces' trees (already parsed: a section's
 * reply is parsed when it arrives), when `text` is exactly the pieces joined by blank lines and the
 * pieces cannot act on each other; otherwise undefined, and the text is parsed. Pieces act on each
 * other through a definition (a reference elsewhere resolves to it) or a block a blank line leaves open.
 */
export function treeFromPieces(text: string, pieces: readonly ComposedPiece[]): Root | undefined {
  // Lines are counted by '\n' here; Markdown also ends one at a lone '\r'. A BOM is dropped only at the start.
  if (pieces.length === 0 || text.includes(']:') || text.includes('\uFEFF') || text.includes('\r')) return undefined;
  const children: RootContent[] = [];
  let offset = 0;
  let line = 1;
  for (const [i, piece] of pieces.entries()) {
    const last = i === pieces.length - 1;
    const nodes = piece.nodes;
    if (nodes.length === 0 || !text.startsWith(piece.text, offset)) return undefined;
    if (!last && !ENDED_BY_BLANK_LINE.has(nodes[nodes.length - 1]!.type)) return undefined;
    // The piece's trailing line breaks are not in the post; no node may reach into them.
    if (nodes.some((n) => (n.position?.end.offset ?? Infinity) > piece.text.length)) return undefined;
    for (const node of nodes) children.push(movedNode(node, offset, line - 1));
    offset += piece.text.length;
    line += lineBreaks(piece.text);
    const separator = last ? '\n' : '\n\n';
    if (!text.startsWith(separator, offset)) return undefined;
    offset += separator.length;
    line += separator.length;
  }
  if (offset !== text.length) return undefined;
  const lastLineStart = text.lastIndexOf('\n', text.length - 1) + 1;
  return {
    type: 'root',
    children,
    position: { start: { line: 1, column: 1, offset: 0 }, end: { line, column: text.length - lastLineStart + 1, offset: text.length } },
  };
}

function lineBreaks(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

type Point = { line: number; column: number; offset?: number };

/** A copy of the node (the pieces' trees are shared, so never changed) placed further down the text. */
export function movedNode<T extends RootContent>(node: T, byOffset: number, byLines: number): T {
  const copy = { ...node } as T & { children?: RootContent[] };
  const position = node.position;
  if (position) copy.position = { start: movedPoint(position.start, byOffset, byLines), end: movedPoint(position.end, byOffset, byLines) };
  if ('children' in node) copy.children = (node.children as RootContent[]).map((child) => movedNode(child, byOffset, byLines));
  return copy;
}

function movedPoint(point: Point, byOffset: number, byLines: number): Point {
  return { ...point, line: point.line + byLines, ...(point.offset === undefined ? {} : { offset: point.offset + byOffset }) };
}
