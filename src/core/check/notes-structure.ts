import type { RootContent } from 'mdast';
import type { NotesRange } from '../document/notes-block.js';
import { loadMarkdown, plainText } from '../markdown.js';
import type { Problem } from './problem.js';

type Found = Omit<Problem, 'file'>;

/**
 * The notes are one heading and then sentences and bullets. Another heading or a rule inside the block
 * is structure that came in as text (a model's heading with line breaks, a brief field, a hand edit);
 * it would show as a section of the post, so it is flagged even when the notes match the log.
 */
export async function notesStructureProblems(body: string, notes: NotesRange | null, lineOf: (offset: number) => number): Promise<Found[]> {
  if (!notes) return [];
  const md = await loadMarkdown();
  const block = body.slice(notes.start, notes.end);
  const found: Found[] = [];
  const visit = (node: RootContent) => {
    const line = lineOf(notes.start + (node.position?.start.offset ?? 0));
    if (node.type === 'heading') {
      found.push({
        line,
        rule: 'notes',
        message: `the collaboration notes contain the heading “${plainText(node).trim()}”; only the notes heading belongs there`,
      });
    } else if (node.type === 'thematicBreak') {
      found.push({ line, rule: 'notes', message: 'the collaboration notes contain a rule (---), which splits them' });
    }
    if ('children' in node) for (const child of node.children as RootContent[]) visit(child);
  };
  // Line 1 is the start marker (an HTML comment, or an MDX comment plain Markdown reads as a paragraph);
  // the first thing after it, when a heading, is the notes heading. Everything else is looked through.
  const nodes = md.parse(block).children.filter((n) => (n.position?.start.line ?? 1) > 1);
  for (const node of nodes[0]?.type === 'heading' ? nodes.slice(1) : nodes) visit(node);
  return found;
}
