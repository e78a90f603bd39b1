/** Splicing new text into a front matter block while every untouched byte stays as it was. */
import type { Eol } from './text-edits.js';

/** Re-attaches an inline `# comment` that followed the old value when the new pair is still one line. */
export function keepInlineComment(pairText: string, trailing: string, eol: Eol): string {
  const comment = /^[ \t]+#.*$/.exec(trailing.replace(/\r$/, ''));
  const lines = pairText.split(eol);
  if (!comment || lines.length !== 2) return pairText;
  return `${lines[0]}${comment[0]}${eol}`;
}

export function indentLines(text: string, indent: string): string {
  return indent === '' ? text : text.replace(/^(?=[^\r\n])/gm, indent);
}
