import { invalidEntry, itemEntry, processFigures, totalsOf, type BatchReport, type ReportEntry, type StopReason } from './report.js';
import type { Shard } from './shard.js';
import type { BatchItem, InvalidItem } from './validate-manifest.js';

/** What the report says about the run as a whole. */
export interface ReportedRun {
  manifest: string;
  shard?: Shard;
  concurrency: number;
  maxCostUsd?: number;
}

export function buildReport(
  run: ReportedRun,
  started: Date,
  entries: ReportEntry[],
  stoppedBy: StopReason | null,
  cacheDir: string | null = null,
): BatchReport {
  const finished = new Date();
  return {
    version: 1,
    manifest: run.manifest,
    shard: run.shard ?? null,
    concurrency: run.concurrency,
    maxCostUsd: run.maxCostUsd ?? null,
    cache: { enabled: cacheDir !== null, dir: cacheDir },
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    stoppedBy,
    totals: totalsOf(entries),
    process: processFigures(),
    entries: [...entries].sort((a, b) => a.index - b.index),
  };
}

/** A manifest with invalid briefs runs nothing: every valid brief is reported as not run. */
export function invalidManifestEntries(items: readonly BatchItem[], invalid: readonly InvalidItem[], cwd: string): ReportEntry[] {
  return [
    ...items.map((item) => itemEntry(item, cwd, { status: 'not-run', reason: 'invalid-manifest' })),
    ...invalid.map(invalidEntry),
  ];
}
