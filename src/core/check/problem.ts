/** One thing wrong with a draft, at a 1-based line of the file. */
export interface Problem {
  file: string;
  line: number;
  /** Short stable name, for filtering: front-matter, description, link, keyword, notes, think, placeholder, empty-section. */
  rule: string;
  message: string;
  /** 1-based, in characters; style problems have one. */
  column?: number;
  /** A warning is reported but does not fail the check; a problem without one is an error. */
  severity?: 'warning' | 'error';
}

/** `file:line[:column]: [warning: ]message [rule]` — the shape editors, grep and CI log parsers understand. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}${p.column !== undefined ? `:${p.column}` : ''}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message} [${p.rule}]`;
}

export const isError = (p: Problem): boolean => p.severity !== 'warning';

export function byPlace(a: Problem, b: Problem): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.column ?? 0) - (b.column ?? 0);
}
