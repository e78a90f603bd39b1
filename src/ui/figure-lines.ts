import type { FigureReport } from '../core/sources/trace-figures.js';

/** Summary lines for "every figure traced": the count, then each figure to verify with its section and line. */
export function figureLines(figures: FigureReport, sourceCount: number): string[] {
  if (figures.total === 0) return [];
  const from = sourceCount === 0 ? 'not from a source (none given)' : 'to verify';
  const traced = figures.untraced.length === 0 ? 'all traced to a source or the brief' : `${figures.untraced.length} ${from}:`;
  const head = `  figures   ${figures.total}, ${traced}`;
  return [
    head,
    ...figures.untraced.map((f) => `              ${f.text} (${f.section ? `“${f.section}”` : 'introduction'}, line ${f.line})`),
  ];
}
