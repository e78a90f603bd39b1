/**
 * Splicing by source offsets: every edit names a range of the ORIGINAL text, and everything outside
 * the edited ranges comes through byte for byte. Front matter edits and section revisions both use it.
 */
export type Eol = '\n' | '\r\n';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Applies edits made against the same original text. Overlapping edits are a bug, not a merge: one
 * would silently eat the other's bytes. An insert at a replaced range's end goes after it.
 */
export function applyEdits(original: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const edit of sorted) {
    if (edit.start < at || edit.end < edit.start || edit.end > original.length) {
      throw new RangeError(
        `applyEdits: edit ${edit.start}..${edit.end} overlaps another or lies outside the text (length ${original.length})`,
      );
    }
    out += original.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + original.slice(at);
}

/** Every line break (CRLF, LF, or a lone CR, which Markdown and YAML also read as one) in `eol`. */
export function toEol(text: string, eol: Eol): string {
  const lf = text.replace(/\r\n?/g, '\n');
  return eol === '\n' ? lf : lf.replace(/\n/g, '\r\n');
}
