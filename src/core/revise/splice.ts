/**
 * Splicing by source offsets: every edit names a range of the ORIGINAL text, and everything outside
 * the edited ranges comes through byte for byte. Nothing here re-serialises Markdown.
 */
import { toEol, type Eol, type TextEdit } from '../document/text-edits.js';

/**
 * The new text for a section's content range: the revision, in the file's line endings, wrapped in
 * the blank lines the original range had, so the spacing around the section does not move.
 */
export function contentReplacement(original: string, revised: string, eol: Eol): string {
  const body = toEol(revised.trim(), eol);
  if (original.trim() === '') {
    // An empty section: one blank line after the heading, and whatever separated it from what follows.
    return eol + body + eol + original;
  }
  const leading = /^\s*/.exec(original)?.[0] ?? '';
  const trailing = /\s*$/.exec(original)?.[0] ?? '';
  return leading + body + trailing;
}

/** A heading line (ATX `## X` or setext `X\n---`) with new text, in the same style and depth. */
export function headingReplacement(original: string, text: string, eol: Eol): string {
  const lineBreak = /\r?\n$/.exec(original)?.[0] ?? '';
  const lines = original.replace(/\r?\n$/, '').split(/\r?\n/);
  const atx = /^( {0,3})(#{1,6})[ \t]+/.exec(lines[0] ?? '');
  if (atx) return `${atx[1]}${atx[2]} ${text}${lineBreak}`;
  const underline = (lines.at(-1) ?? '').trim().charAt(0) || '=';
  return `${text}${eol}${underline.repeat(Math.max(3, Math.min(text.length, 80)))}${lineBreak}`;
}

/**
 * A new section inserted at `offset` of `body`: separated from the text before by a blank line, and
 * from the text after (if any) by a blank line.
 */
export function insertion(body: string, offset: number, headingLine: string, content: string, eol: Eol): TextEdit {
  const before = body.slice(0, offset);
  const hasFollowing = body.slice(offset).trim() !== '';
  let lead = '';
  if (before.trim() !== '') {
    if (!/\r?\n$/.test(before)) lead = eol + eol;
    else if (!/\r?\n[ \t]*\r?\n$/.test(before)) lead = eol;
  }
  const text = lead + headingLine + eol + eol + toEol(content.trim(), eol) + eol + (hasFollowing ? eol : '');
  return { start: offset, end: offset, text };
}
