import { lineAt, nextLineStart } from './text-positions.js';

/**
 * The generated "Collaboration notes" live between two marker comments, so a later command can find
 * and replace them instead of appending a second copy. In Markdown the markers are HTML comments:
 * invisible when rendered and left alone by every Markdown tool. MDX 3 rejects HTML comments
 * ("Unexpected character `!`"), so an `.mdx` post gets MDX comments instead. Both forms are read in
 * any file, so a post renamed from .md to .mdx (or the other way) keeps one block.
 */
export const NOTES_START = '<!-- draft:collaboration-notes -->';
export const NOTES_END = '<!-- /draft:collaboration-notes -->';
export const MDX_NOTES_START = '{/* draft:collaboration-notes */}';
export const MDX_NOTES_END = '{/* /draft:collaboration-notes */}';

export type NotesMarkerStyle = 'html' | 'mdx';

const MARKERS: Record<NotesMarkerStyle, { start: string; end: string }> = {
  html: { start: NOTES_START, end: NOTES_END },
  mdx: { start: MDX_NOTES_START, end: MDX_NOTES_END },
};

/** The markers a file of this name must use: MDX comments for `.mdx`, else none forced (undefined). */
export function notesStyleForPath(path: string): NotesMarkerStyle | undefined {
  return /\.mdx$/i.test(path) ? 'mdx' : undefined;
}

// Spacing inside the comment is forgiven: people retype markers by hand.
const START_LINE = /^(?:<!--\s*draft:collaboration-notes\s*-->|\{\s*\/\*\s*draft:collaboration-notes\s*\*\/\s*\})$/;
const END_LINE = /^(?:<!--\s*\/draft:collaboration-notes\s*-->|\{\s*\/\*\s*\/draft:collaboration-notes\s*\*\/\s*\})$/;

export interface NotesRange {
  /** Start of the start-marker line. */
  start: number;
  /** Just after the end-marker line, its line break included. */
  end: number;
}

/** The first complete block outside fenced code; a start marker with no end marker counts as no block. */
export function findNotesBlock(body: string): NotesRange | null {
  let start = -1;
  let fence: { char: string; length: number } | null = null;
  for (let pos = 0; pos < body.length; pos = nextLineStart(body, pos)) {
    const line = lineAt(body, pos);
    const fenceMark = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fenceMark) {
      // A fence closes only with the same character, at least as long, and nothing after it.
      const char = fenceMark.charAt(0);
      if (!fence) fence = { char, length: fenceMark.length };
      else if (char === fence.char && fenceMark.length >= fence.length && line.trim() === fenceMark) fence = null;
      continue;
    }
    if (fence) continue;
    const trimmed = line.trim();
    // A later start marker wins: an orphaned one (its end marker deleted by hand) must not swallow the
    // text between it and the next complete block.
    if (START_LINE.test(trimmed)) start = pos;
    else if (start !== -1 && END_LINE.test(trimmed)) return { start, end: nextLineStart(body, pos) };
  }
  return null;
}

/**
 * Replaces the block when present, keeping the text around it byte-for-byte; otherwise appends it after
 * one blank line. `style` forces the marker form (an `.mdx` file must have MDX comments, even where an
 * older run wrote HTML ones); without it an existing block keeps its form and a new one is HTML.
 */
export function upsertNotesBlock(body: string, notesMarkdown: string, eol: '\n' | '\r\n', style?: NotesMarkerStyle): string {
  // Trailing line breaks in the notes would leave a blank line before the end marker on every rewrite.
  // A NUL is never written: it is no text, and some tools stop reading a file at the first one.
  const notes = notesMarkdown
    .replace(/\0/g, '')
    .replace(/(?:\r?\n)+$/, '')
    .replace(/\r?\n/g, eol);
  const found = findNotesBlock(body);
  const markers = MARKERS[style ?? (found && lineAt(body, found.start).trim().startsWith('{') ? 'mdx' : 'html')];
  const block = `${markers.start}${eol}${notes}${eol}${markers.end}`;
  if (found) {
    const lineBreak = /\r?\n$/.exec(body.slice(found.start, found.end))?.[0] ?? '';
    return body.slice(0, found.start) + block + lineBreak + body.slice(found.end);
  }
  const content = withoutTrailingBlankLines(body);
  // The author's trailing blank lines stay the last bytes of the file, after the block.
  const ending = body.slice(content.length);
  return content.trim() === '' ? `${block}${eol}` : `${content}${eol}${eol}${block}${/\n/.test(ending) ? ending : eol}`;
}

/** Removes the block; when it ended the body, the blank lines that separated it go too. */
export function removeNotesBlock(body: string): string {
  const found = findNotesBlock(body);
  if (!found) return body;
  const before = body.slice(0, found.start);
  const after = body.slice(found.end);
  if (after.trim() !== '') return before + after;
  const content = withoutTrailingBlankLines(before);
  if (content.trim() === '') return '';
  // Undoes upsertNotesBlock: the blank lines kept after the block were the body's own ending.
  const ending = (/\r?\n$/.exec(body.slice(found.start, found.end))?.[0] ?? '') + after;
  const lineBreak = /^\r?\n/.exec(before.slice(content.length))?.[0] ?? '';
  return content + (/\n/.test(ending) ? ending : lineBreak);
}

function withoutTrailingBlankLines(text: string): string {
  return text.replace(/(?:\r?\n[ \t]*)+$/, '');
}
