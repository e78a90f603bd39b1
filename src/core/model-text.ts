/**
 * Model text is data, never structure. A heading, title, tag or description from the model lands on
 * one line of a file (a `##` line, a front-matter value, a bullet of the notes), so a line break in it
 * would start a heading, a rule or a front-matter key of its own. These helpers turn such a string
 * into one line of plain text and say what they had to change, so the change can be logged.
 */

/** Upper bounds, in characters, for each kind of one-line text (the outline schema's limits). */
export const TEXT_LIMITS = {
  heading: 150,
  title: 200,
  tag: 50,
  /** Before fitDescription cuts it to DESCRIPTION_LIMIT at a word; this only bounds a runaway reply. */
  description: 1000,
} as const;

export type TextChange = 'line breaks' | 'control characters' | 'markup' | 'length';

export interface CleanedText {
  text: string;
  /** Empty when the text was already one line of plain text. */
  changes: TextChange[];
}

// Line breaks in every spelling a parser might honour: CR, LF, VT, FF, NEL, LINE/PARAGRAPH SEPARATOR.
const LINE_BREAKS = /[\n\r\v\f\u0085\u2028\u2029]/g;
// Other C0/C1 controls, and the invisible bidi overrides and zero-width marks that make text read
// differently from what it is. Tabs are plain whitespace.
const CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const COMMENTS = /<!--[\s\S]*?(?:-->|$)|\{\s*\/\*[\s\S]*?\*\/\s*\}/g;
const TAGS = /<\/?[A-Za-z][\w.:-]*(?:\s[^<>]*)?\/?>/g;
// What a heading line must not start or end with: more `#`s, a quote or an HTML comment opener.
const LEADING_MARKERS = /^(?:#{1,6}(?=\s|$)|>|<!--|-->)\s*/;
const TRAILING_HASHES = /\s+#+$/;

/** Removes NUL characters: no file draft writes ever holds one. */
export function withoutNul(text: string): string {
  return text.includes('\0') ? text.replace(/\0/g, '') : text;
}

/** The same value with NUL removed from every string inside it (plain objects and arrays only). */
export function withoutNulDeep<T>(value: T): T {
  if (typeof value === 'string') return withoutNul(value) as T;
  if (Array.isArray(value)) return value.map((v) => withoutNulDeep(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNulDeep(v)])) as T;
  }
  return value;
}

/** Runs of white space, line breaks included, as one space: for text quoted inside one line of a prompt or message. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * One line of plain text: line breaks and control characters become a space, HTML and MDX comments
 * and tags are dropped, leading heading/quote markers and a closing `#` sequence go, whitespace is
 * collapsed, and the result is cut at a word to `max` characters. May return an empty string.
 */
export function plainLine(raw: string, max: number): CleanedText {
  const changes = new Set<TextChange>();
  let text = raw;
  const replace = (pattern: RegExp, by: string | ((match: string) => string), change: TextChange) => {
    const next = typeof by === 'string' ? text.replace(pattern, by) : text.replace(pattern, by);
    if (next !== text) changes.add(change);
    text = next;
  };
  replace(LINE_BREAKS, ' ', 'line breaks');
  replace(CONTROLS, (m: string) => (m === '\0' || /[\u200b-\u200f\u2060-\u2064\ufeff]/.test(m) ? '' : ' '), 'control characters');
  replace(COMMENTS, ' ', 'markup');
  replace(TAGS, ' ', 'markup');
  text = text.replace(/\s+/g, ' ').trim();
  for (let before = ''; before !== text; ) {
    before = text;
    replace(LEADING_MARKERS, '', 'markup');
    replace(TRAILING_HASHES, '', 'markup');
    text = text.trim();
  }
  const chars = [...text];
  if (chars.length > max) {
    changes.add('length');
    const cut = chars.slice(0, max - 1).join('');
    const atWord = cut.lastIndexOf(' ') > max / 2 ? cut.slice(0, cut.lastIndexOf(' ')) : cut;
    text = `${atWord.replace(/[\s,;:.-]+$/, '')}…`;
  }
  return { text, changes: [...changes] };
}

/** One cleaned field, for the log: which field, and what had to change in it. */
export interface TextCleaning {
  field: string;
  changes: TextChange[];
}

/**
 * Collects the cleanings of several fields, so the caller logs them once. `clean` returns the
 * cleaned text and records the field when anything changed.
 */
export class TextCleaner {
  readonly cleanings: TextCleaning[] = [];

  clean(field: string, raw: string, max: number): string {
    const { text, changes } = plainLine(raw, max);
    if (changes.length > 0) this.cleanings.push({ field, changes });
    return text;
  }
}

/** A log event's details: every field cleaned and the union of what changed. */
export function cleaningDetails(cleaned: readonly TextCleaning[]): { fields: string[]; changes: TextChange[] } {
  return { fields: cleaned.map((c) => c.field), changes: [...new Set(cleaned.flatMap((c) => c.changes))] };
}

/**
 * Text that goes inside a line of Markdown (a heading, a bullet of the notes) as literal characters:
 * one line, and backslash escapes for what would start a link, code, HTML, or the expressions and
 * JSX MDX reads in `{` `}` and `<`. Emphasis marks are left as they are: they cannot break a line.
 * The escapes are CommonMark's, so the text renders as written in Markdown and in MDX.
 */
export function markdownInline(text: string): string {
  return withoutNul(text)
    .replace(LINE_BREAKS, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`[\]<{}]/g, (c) => `\\${c}`);
}

/**
 * A new heading's text (a title, a renamed or added heading) as it goes on its `#` line: one line, and
 * `<` `{` `}` escaped, which would otherwise be HTML in Markdown and JSX or an expression in MDX. The
 * text is read back unescaped, so the post's headings are the plain text that was asked for.
 */
export function headingSource(text: string): string {
  return withoutNul(text)
    .replace(LINE_BREAKS, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[<{}]/g, (c) => `\\${c}`);
}
