import type { Brief } from '../brief.js';
import { parseSource } from '../document/front-matter.js';
import { readMachineState } from '../document/machine-state.js';
import { UsageError } from '../errors.js';
import { traceBody } from '../sources/ground-draft.js';
import { readRecordedSources } from '../sources/revision-sources.js';
import type { Problem } from './problem.js';
import { linesBefore } from '../document/text-positions.js';

export interface FigureSource {
  number: number;
  title: string;
  url?: string;
  text: string;
}

/**
 * The `untraced-figure` rule. A draft grounded by `draft new --source` is traced against the snapshots
 * its state records; any post, hand-written ones too, against the sources given on the command line.
 * A post with neither is not checked here: without sources every figure would be a problem.
 */
export async function figureProblems(
  text: string,
  file: string,
  options: { projectRoot: string; given?: FigureSource[]; sidecarState?: unknown },
): Promise<Problem[]> {
  let src;
  try {
    src = parseSource(text, file);
  } catch (error) {
    if (error instanceof UsageError) return []; // the front-matter rule reports it
    throw error;
  }
  const state = readMachineState(src.data, options.sidecarState);
  const problems: Problem[] = [];
  let sources = options.given;
  if (!sources) {
    if (!state?.sources?.length) return [];
    const recorded = await readRecordedSources(state.sources, options.projectRoot);
    sources = recorded.sources;
    for (const record of recorded.missing) {
      problems.push({
        file,
        line: 1,
        rule: 'untraced-figure',
        message: `the snapshot of source “${record.title}” (${record.sha256.slice(0, 12)}) is missing from .draft/sources, so its figures cannot be traced`,
      });
    }
  }
  const firstBodyLine = linesBefore(text, src.body) + 1;
  // Sources given on the command line count for every part: a hand-written post cites in its own way.
  const report = await traceBody(src.body, {
    firstBodyLine,
    brief: (state?.brief ?? {}) as Partial<Brief>,
    sources,
    everyPart: options.given !== undefined,
  });
  for (const figure of report.untraced) {
    problems.push({
      file,
      line: figure.line,
      rule: 'untraced-figure',
      message: `“${figure.text}” in ${figure.section ? `“${figure.section}”` : 'the introduction'} is not in a source that part cites, nor in the brief`,
    });
  }
  return problems;
}
