import type { Problem } from '../check/problem.js';
import { parseSource } from '../document/front-matter.js';
import { readMachineState } from '../document/machine-state.js';
import { UsageError } from '../errors.js';
import type { AiTell } from './ai-tells.js';
import { checkStyle, type StyleFinding } from './check-style.js';
import { DEFAULT_LANGUAGE, postLanguage } from './language.js';
import type { StyleSeverities } from './rules.js';
import { LineIndex } from '../document/text-positions.js';

export interface FileStyleOptions {
  tells: AiTell[];
  severities?: StyleSeverities;
  /** Used when the post does not say its own language (front matter, or the brief in its state). */
  language?: string;
}

export interface FileStyleResult {
  problems: Problem[];
  language: string;
  skipped: string[];
}

/**
 * `draft check --style` on one post: its body's style problems at file line and column. A post whose
 * front matter cannot be read has none here; the main check reports that.
 */
export async function fileStyleProblems(text: string, file: string, options: FileStyleOptions): Promise<FileStyleResult> {
  let src;
  try {
    src = parseSource(text, file);
  } catch (error) {
    if (error instanceof UsageError) return { problems: [], language: options.language ?? DEFAULT_LANGUAGE, skipped: [] };
    throw error;
  }
  const language = postLanguage(src.data, readMachineState(src.data)?.brief?.language) ?? options.language ?? DEFAULT_LANGUAGE;
  const { findings, skipped } = await checkStyle(src.body, { language, severities: options.severities, tells: options.tells });
  const place = positionsIn(text, (src.bom ? 1 : 0) + src.frontMatter.length);
  return { problems: findings.map((f) => toProblem(f, file, place(f.start))), language, skipped };
}

export function toProblem(f: StyleFinding, file: string, at: { line: number; column: number }): Problem {
  const message =
    f.suggestion && f.family !== 'ai-tells'
      ? `${f.message} (${f.suggestion})`
      : f.family === 'ai-tells'
        ? `${f.message} ${f.suggestion}`
        : f.message;
  return { file, line: at.line, column: at.column, rule: f.rule, severity: f.severity, message };
}

/** File line and column (in characters) of body offsets, from one index of line starts. */
function positionsIn(text: string, bodyStart: number): (offset: number) => { line: number; column: number } {
  const lines = new LineIndex(text);
  return (offset) => lines.position(bodyStart + offset);
}
