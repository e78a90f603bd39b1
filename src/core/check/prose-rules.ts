import type { Problem } from './problem.js';

type Found = Omit<Problem, 'file'>;

/** Reasoning models sometimes leak their chain of thought; the provider strips it, but a paste or an edit can bring it back. */
const THINK = /<\/?think(?:ing)?\b[^>]*>/i;

/**
 * A bare TODO/FIXME/TBD left in the text. Not one that is emphasised or quoted (`_TODO_`, `**FIXME**`,
 * "TODO"), nor one named as a thing ("TODO comments", "a FIXME marker"): those are prose about the
 * marker, not a marker. Letters, digits and `_` around it make it part of a longer word.
 */
const LEFTOVER_MARKER =
  /(?<![\p{L}\p{N}_*"'“‘])(?:TODO|FIXME|TBD)(?![\p{L}\p{N}_*"'”’])(?![ \t]+(?:comments?|markers?|tags?|notes?|items?|lists?|annotations?|keywords?|entries|entry|lines?)\b)/u;

const PLACEHOLDERS: { pattern: RegExp; label: (match: string) => string }[] = [
  { pattern: LEFTOVER_MARKER, label: (m) => `"${m}"` },
  { pattern: /\blorem ipsum\b/i, label: () => '"Lorem ipsum"' },
  // [insert figure], [add quote here], [your name] — but not a Markdown link such as [add-ons](url).
  { pattern: /\[(?:insert|add|your|placeholder|citation needed)\b[^\]\n]*\](?![(:[])/i, label: (m) => `"${m}"` },
];

/**
 * Leftover <think> text and placeholder text, one problem per line. `prose` is the body with code and
 * the notes block blanked, so a post about TODO comments or a code sample is not flagged.
 */
export function proseProblems(prose: string, lineOf: (offset: number) => number): Found[] {
  const found: Found[] = [];
  let offset = 0;
  for (const line of prose.split('\n')) {
    const think = THINK.exec(line);
    if (think) found.push({ line: lineOf(offset), rule: 'think', message: `leftover reasoning text ${JSON.stringify(think[0])}` });
    for (const { pattern, label } of PLACEHOLDERS) {
      const match = pattern.exec(line);
      if (match) found.push({ line: lineOf(offset), rule: 'placeholder', message: `placeholder text ${label(match[0])}` });
    }
    offset += line.length + 1;
  }
  return found;
}
