import type { Heading, Root, RootContent } from 'mdast';
import { loadMarkdown } from '../markdown.js';
import { withoutNul } from '../model-text.js';
import type { DraftedPart } from './draft-sections.js';

/**
 * Builds the post body as one Markdown tree: the introduction, then each section under a `##`
 * heading. Headings the model used inside a section are pushed below `##` so they stay sub-headings.
 */
export async function composeBody(parts: readonly DraftedPart[]): Promise<string> {
  const md = await loadMarkdown();
  const root: Root = { type: 'root', children: [] };
  for (const part of parts) {
    if (part.heading !== null) {
      // The outline's headings are already one line of plain text (cleanOutlineText); a text node
      // makes remark escape whatever in them would read as Markdown.
      const heading: Heading = { type: 'heading', depth: 2, children: [{ type: 'text', value: withoutNul(part.heading) }] };
      root.children.push(heading);
    }
    const content = md.parse(withoutNul(part.markdown)).children;
    for (const node of content) demoteHeadings(node);
    root.children.push(...content);
  }
  return md.stringify(root);
}

function demoteHeadings(node: RootContent): void {
  if (node.type === 'heading' && node.depth < 3) node.depth = 3;
}
