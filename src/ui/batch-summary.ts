import { formatProblem } from '../core/check/problem.js';
import type { ReportEntry } from '../core/batch/report.js';
import { writtenDraftProblems } from '../core/batch/written-draft-problems.js';
import type { Ui } from './ui.js';

/**
 * After a live display, which showed only counts: each draft written (path and title) and the
 * link and keyword problems in them, as `draft check` prints them.
 */
export async function showWrittenDrafts(ui: Ui, cwd: string, entries: ReportEntry[]): Promise<void> {
  const written = entries.filter((e) => e.status === 'ok' && e.path);
  if (written.length === 0) return;
  ui.info(ui.paint.bold(`Wrote ${written.length} draft(s):`));
  for (const e of written) ui.info(`  ${e.path}${e.title ? `  ${ui.paint.dim(e.title)}` : ''}`);
  const problems = await writtenDraftProblems(cwd, written);
  if (problems.length === 0) {
    ui.info('Links and keywords: every required link and keyword is in place.');
    return;
  }
  ui.warn(`${problems.length} link or keyword problem(s) (\`draft check\` lists them too):`);
  for (const p of problems) ui.info(`  ${formatProblem(p)}`);
}
