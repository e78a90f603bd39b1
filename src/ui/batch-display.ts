/** What `draft batch` shows while it runs (live counts) and after (what was written, what to fix). */
import { formatProblem } from '../core/check/problem.js';
import { countsLine, entryLine, type LiveCounts } from '../core/batch/progress-text.js';
import type { ReportEntry } from '../core/batch/report.js';
import { roundUsd } from '../core/pricing.js';
import type { Progress, Ui } from './ui.js';

export interface LiveDisplay {
  add(entry: ReportEntry): void;
  stop(): Promise<void>;
}

/** A live counts line on a terminal; one plain line per finished draft otherwise (CI logs). */
export function liveDisplay(ui: Ui, total: number, title: string): LiveDisplay {
  const counts: LiveCounts = { ok: 0, failed: 0, skipped: 0, remaining: total, spentUsd: 0 };
  const tally = (e: ReportEntry) => {
    counts.remaining--;
    if (e.status === 'ok') counts.ok++;
    else if (e.status === 'failed') counts.failed++;
    else if (e.status === 'skipped') counts.skipped++;
    counts.spentUsd = counts.spentUsd === null || e.costUsd === null ? null : roundUsd(counts.spentUsd + e.costUsd);
  };
  ui.info(title);
  if (!ui.animated) {
    return {
      add: (e) => {
        tally(e);
        ui.info(entryLine(e));
      },
      stop: async () => {},
    };
  }
  // Spinners start asynchronously, so updates are chained to keep them in order.
  let current: Promise<Progress> = ui.progress(countsLine(counts));
  return {
    add: (e) => {
      tally(e);
      const text = countsLine(counts);
      current = current.then(async (progress) => {
        if (e.status !== 'failed') {
          progress.update(text);
          return progress;
        }
        // A failure stays on screen above the live line.
        progress.fail(entryLine(e));
        return ui.progress(text);
      });
    },
    stop: async () => (await current).stop(),
  };
}

/**
 * After a live display, which showed only counts: each draft written (path and title) and the
 * link and keyword problems in them, as `draft check` prints them.
 */
export async function showWrittenDrafts(ui: Ui, cwd: string, entries: ReportEntry[]): Promise<void> {
  const written = entries.filter((e) => e.status === 'ok' && e.path);
  if (written.length === 0) return;
  ui.info(ui.paint.bold(`Wrote ${written.length} draft(s):`));
  for (const e of written) ui.info(`  ${e.path}${e.title ? `  ${ui.paint.dim(e.title)}` : ''}`);
  // Loaded here, at the end: the checks bring the Markdown parser, which the batch's first requests need not wait for.
  const { writtenDraftProblems } = await import('../core/batch/written-draft-problems.js');
  const problems = await writtenDraftProblems(cwd, written);
  if (problems.length === 0) {
    ui.info('Links and keywords: every required link and keyword is in place.');
    return;
  }
  ui.warn(`${problems.length} link or keyword problem(s) (\`draft check\` lists them too):`);
  for (const p of problems) ui.info(`  ${formatProblem(p)}`);
}
