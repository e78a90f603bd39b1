import { formatCost } from '../pricing.js';
import type { ReportEntry, ReportTotals } from './report.js';

export interface LiveCounts {
  ok: number;
  failed: number;
  skipped: number;
  remaining: number;
  /** null once any spend had an unknown price. */
  spentUsd: number | null;
}

/** A cost for a table cell: "unknown" rather than formatCost's full sentence. */
export function costCell(cost: number | null): string {
  return cost === null ? 'unknown' : formatCost(cost);
}

export function countsLine(c: LiveCounts): string {
  const spent = c.spentUsd === null ? 'spend unknown' : `${formatCost(c.spentUsd)} spent`;
  return `${c.ok} done · ${c.failed} failed · ${c.skipped} skipped · ${c.remaining} remaining · ${spent}`;
}

/** One plain line per finished draft, for logs without a live display. */
export function entryLine(e: ReportEntry): string {
  const id = e.id ?? `#${e.index}`;
  switch (e.status) {
    case 'ok': {
      const cached = e.cachedRequests ? ` (+${e.cachedRequests} cached)` : '';
      const notes = e.warnings?.length ? `; ${e.warnings.join('; ')}` : '';
      return (
        `ok       ${id} → ${e.path}: ${e.requests} requests${cached}, ` +
        `${formatCost(e.costUsd)}, ${(e.durationMs / 1000).toFixed(1)}s${notes}`
      );
    }
    case 'failed':
      return `failed   ${id}: ${e.error ?? 'unknown error'}`;
    case 'skipped':
      return `skipped  ${id}: ${e.reason === 'exists' ? `${e.path} exists (--force to redo it)` : (e.error ?? e.reason)}`;
    case 'invalid':
      return `invalid  ${id}: ${e.error ?? ''}`;
    case 'not-run':
      return `not run  ${id}: ${e.reason}`;
  }
}

export function totalsLine(t: ReportTotals, seconds: number): string {
  return (
    `${t.ok} ok, ${t.failed} failed, ${t.skipped} skipped, ${t.invalid} invalid, ${t.notRun} not run; ` +
    `${t.requests} requests (${t.cachedRequests} from cache), ${t.inputTokens} tokens in / ${t.outputTokens} out, ` +
    `cost ${formatCost(t.costUsd)}, ${seconds.toFixed(1)}s`
  );
}
