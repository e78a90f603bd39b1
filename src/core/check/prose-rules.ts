import type { Problem } from './problem.js';

type Found = Omit<Problem, 'file'>;

/** Reasoning models sometimes leak their chain of thought; the provider strips it, but a paste or an edit can bring it back. */
const THINK = /<\/?think(?:ing)?\b[^>]*>/i;

const PLACEHOLDERS: { pattern: RegExp; label: (match: string) => string }[] = [
  { pattern: /\b(?:TODO|FIXME|TBD)\b/, label: (m) => `"${m}"` },
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
