import type { Heading, Root, RootContent } from 'mdast';
import { loadMarkdown, parseShared } from '../markdown.js';
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
    // The part's tree is shared (it was parsed to count its words), so a heading is copied, not changed.
    const content = (await parseShared(withoutNul(part.markdown))).children;
    root.children.push(...content.map(demoteHeading));
  }
  return md.stringify(root);
}

function demoteHeading(node: RootContent): RootContent {
  return node.type === 'heading' && node.depth < 3 ? { ...node, depth: 3 } : node;
}
