import { parseShared } from '../markdown.js';

/** Replaces a range with spaces, keeping line breaks, so offsets and line numbers stay valid. */
export function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + text.slice(start, end).replace(/[^\n]/g, ' ') + text.slice(end);
}

/** The text with code blocks and inline code blanked: what the reader sees as prose (and raw HTML). */
export async function withoutCode(text: string): Promise<string> {
  const ranges: [number, number][] = [];
  const visit = (node: { type: string; position?: { start: { offset?: number }; end: { offset?: number } }; children?: unknown[] }) => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if ((node.type === 'code' || node.type === 'inlineCode') && start !== undefined && end !== undefined) {
      ranges.push([start, end]);
      return;
    }
    for (const child of node.children ?? []) visit(child as typeof node);
  };
  visit(await parseShared(text));
  return ranges.reduce((out, [start, end]) => blank(out, start, end), text);
}
