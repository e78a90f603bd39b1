/** One thing wrong with a draft, at a 1-based line of the file. */
export interface Problem {
  file: string;
  line: number;
  /** Short stable name, for filtering: front-matter, description, link, keyword, notes, think, placeholder, empty-section. */
  rule: string;
  message: string;
}

/** `file:line: message [rule]` — the shape editors, grep and CI log parsers understand. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}: ${p.message} [${p.rule}]`;
}

export function byPlace(a: Problem, b: Problem): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
}
