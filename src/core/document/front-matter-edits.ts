/** Splicing new text into a front matter block while every untouched byte stays as it was. */
import type { Eol } from './front-matter-block.js';

export interface Edit {
  start: number;
  end: number;
  text: string;
}

export function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  // Back to front so earlier offsets stay valid; an insert at a deletion's end goes in first.
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}

/** Re-attaches an inline `# comment` that followed the old value when the new pair is still one line. */
export function keepInlineComment(pairText: string, trailing: string, eol: Eol): string {
  const comment = /^[ \t]+#.*$/.exec(trailing.replace(/\r$/, ''));
  const lines = pairText.split(eol);
  if (!comment || lines.length !== 2) return pairText;
  return `${lines[0]}${comment[0]}${eol}`;
}

export function toEol(text: string, eol: Eol): string {
  return eol === '\n' ? text : text.replace(/\r?\n/g, eol);
}

export function indentLines(text: string, indent: string): string {
  return indent === '' ? text : text.replace(/^(?=[^\r\n])/gm, indent);
}
