import { RunError } from '../errors.js';
import { formatCost } from '../pricing.js';
import type { BatchReport } from './report.js';

/** Exit 1 after a completed run: some drafts failed, or the budget or --fail-fast stopped it early. */
export class BatchFailedError extends RunError {}

/** Why a completed run counts as failed, or undefined when it succeeded. */
export function batchFailureMessage(report: BatchReport): string | undefined {
  const t = report.totals;
  if (report.stoppedBy === 'budget') {
    return `budget reached: ${t.notRun} draft(s) not written; ` + `spent ${formatCost(t.costUsd)} of $${report.maxCostUsd}${t.failed ? `, and ${t.failed} failed` : ''}`;
  }
  if (report.stoppedBy === 'fail-fast') return `stopped at the first failure (--fail-fast): ${t.failed} failed, ${t.notRun} not started`;
  if (t.failed > 0) return `${t.failed} of ${t.briefs} draft(s) failed`;
  return undefined;
}

/** The stable code of a failed run, beside batchFailureMessage's words: what a CI script matches on. */
export function batchFailureCode(report: BatchReport): string {
  if (report.stoppedBy === 'budget') return 'budget-exceeded';
  if (report.stoppedBy === 'fail-fast') return 'fail-fast';
  return 'drafts-failed';
}
