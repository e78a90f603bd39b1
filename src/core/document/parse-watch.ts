/**
 * Issue 15 ("no wasted work"): a revise parses each text once. Tests watch every Markdown and YAML
 * parse through this hook to hold that; nothing else listens, so a parse costs one check.
 */
export type ParseKind = 'markdown' | 'yaml';

let watcher: ((kind: ParseKind, text: string) => void) | undefined;

/** Calls `onParse` for every parse until the returned function is called. */
export function watchParses(onParse: (kind: ParseKind, text: string) => void): () => void {
  watcher = onParse;
  return () => {
    if (watcher === onParse) watcher = undefined;
  };
}

export function noteParse(kind: ParseKind, text: string): void {
  watcher?.(kind, text);
}
