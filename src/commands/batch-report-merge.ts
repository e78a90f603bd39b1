import * as z from 'zod';
import { appendStepSummary, stepSummary } from '../core/batch/github-actions.js';
import { totalsLine } from '../core/batch/progress-text.js';
import { mergeReports, mergeSummary } from '../core/batch/report-merge.js';
import { relativePath, writeReport } from '../core/batch/report.js';
import { RunError, UsageError } from '../core/errors.js';
import { check, flagName, problemsError } from '../core/validation.js';
import type { CommandContext } from './context.js';

const MergeOptionsSchema = z.object({
  out: z.string().min(1),
  manifest: z.string().min(1).optional(),
});

/** `draft batch report merge A.json B.json … -o all.json`: one report and one step summary for a fleet of shards. */
export async function runBatchReportMerge(files: string[], rawOptions: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const parsed = check(MergeOptionsSchema, rawOptions, { name: flagName });
  if (parsed.problems.length > 0) throw problemsError(parsed.problems, 'see `draft batch report merge --help`');
  if (files.length === 0)
    throw new UsageError('name at least one report to merge', { hint: 'draft batch report merge shard-*/report.json -o all.json' });
  const options = parsed.value!;
  const merged = await mergeReports(files, { cwd: ctx.cwd, manifest: options.manifest });
  const path = await writeReport(ctx.cwd, options.out, merged);
  const summary = mergeSummary(merged);
  ctx.ui.info(summary.trimEnd());
  ctx.ui.info(`Merged report: ${relativePath(ctx.cwd, path)}: ${totalsLine(merged.totals, merged.durationMs / 1000)}`);
  // The fleet's one step summary (the shards' own went to their own jobs' pages).
  await appendStepSummary(ctx.env, `${stepSummary(merged)}\n${summary}`).catch((error: Error) =>
    ctx.ui.warn(`cannot write $GITHUB_STEP_SUMMARY: ${error.message}`),
  );
  if (merged.merged.problems.length > 0) {
    throw new RunError(`the shard reports do not cover ${merged.manifest} exactly once: ${merged.merged.problems.length} problem(s)`, {
      hint: `see "merged" in ${options.out}; re-run the missing shards, or drop the duplicate report`,
    });
  }
}
