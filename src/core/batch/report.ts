import { basename, dirname, relative, resolve } from 'node:path';
import { errorFacts } from '../errors.js';
import { writeNewFile } from '../fs/atomic-write.js';
import { formatCost, roundUsd } from '../pricing.js';
import { redactSecrets } from '../provider/redact.js';
import { entryLocation } from './load-manifest.js';
import type { Shard } from './shard.js';
import type { BatchItem, InvalidItem } from './validate-manifest.js';

/**
 * ok: drafted and written. skipped: nothing to do (the draft exists, or another run is writing it).
 * invalid: the manifest entry is wrong (only with --skip-invalid; otherwise nothing runs).
 * not-run: valid, but the run stopped before it (budget, --fail-fast, Ctrl-C). failed: tried and failed.
 */
export type EntryStatus = 'ok' | 'failed' | 'skipped' | 'invalid' | 'not-run';
export type StopReason = 'budget' | 'fail-fast' | 'interrupted';

export interface ReportEntry {
  id: string | null;
  /** 0-based position in the manifest. */
  index: number;
  /** Where the brief is: "briefs.yaml:14: briefs[3]". */
  source: string;
  status: EntryStatus;
  /** Why it was skipped or not run: exists, locked, written-by-another-run, budget, fail-fast, interrupted. */
  reason?: string;
  /** The draft's path relative to the working directory. */
  path: string | null;
  title?: string;
  model?: string;
  /** Requests sent to the model (cache hits excluded). */
  requests: number;
  cachedRequests: number;
  /** Tokens of the requests sent: what this run paid for. */
  tokens: { input: number; output: number };
  /** What this run spent on it; null when the model's price is unknown. */
  costUsd: number | null;
  /** With --max-cost: the estimate the budget reserved before starting it. */
  estimatedCostUsd?: number;
  durationMs: number;
  error?: string;
  /** With `error` on a failed draft: its stable code (`provider-rate-limit`, `changed-on-disk`, …); see the README. */
  code?: string;
  /** The provider's id for the failed request, when it gave one: quote it to their support. */
  requestId?: string;
  /** A draft written with something to say: "the model proposed 5 sections instead of 3". */
  warnings?: string[];
  /** Figures found in a written draft, and those no source (nor the brief) vouches for. */
  figures?: { total: number; traced: number; untraced: { text: string; section: string | null; line: number }[] };
}

export interface ReportTotals {
  briefs: number;
  ok: number;
  failed: number;
  skipped: number;
  invalid: number;
  notRun: number;
  requests: number;
  cachedRequests: number;
  inputTokens: number;
  outputTokens: number;
  /** null when any spend had an unknown price: never reported as zero. */
  costUsd: number | null;
}

export interface BatchReport {
  version: 1;
  manifest: string;
  shard: Shard | null;
  concurrency: number;
  maxCostUsd: number | null;
  cache: { enabled: boolean; dir: string | null };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  stoppedBy: StopReason | null;
  totals: ReportTotals;
  /** Peak resident memory and CPU time of this process, for benchmarks and capacity planning. */
  process: { maxRssKb: number; userCpuMs: number; systemCpuMs: number };
  entries: ReportEntry[];
}

const NOTHING_SPENT = { requests: 0, cachedRequests: 0, tokens: { input: 0, output: 0 }, costUsd: 0, durationMs: 0 } as const;

/** An entry for a brief with nothing spent on it yet; the fields given override. */
export function itemEntry(item: BatchItem, cwd: string, fields: Pick<ReportEntry, 'status'> & Partial<ReportEntry>): ReportEntry {
  const { status, ...rest } = fields;
  return {
    id: item.id,
    index: item.entry.index,
    source: entryLocation(item.entry),
    status,
    path: relativePath(cwd, item.output),
    ...(item.model ? { model: item.model } : {}),
    ...NOTHING_SPENT,
    ...rest,
  };
}

export function invalidEntry(bad: InvalidItem): ReportEntry {
  return {
    id: bad.id ?? null,
    index: bad.entry.index,
    source: entryLocation(bad.entry),
    status: 'invalid',
    path: null,
    ...NOTHING_SPENT,
    error: bad.problems.join('; '),
  };
}

/** What a failed entry says about its error: the message (secrets redacted), its code and the provider's request id. */
export function failureFields(error: unknown, secrets: readonly string[]): Pick<ReportEntry, 'error' | 'code' | 'requestId'> {
  const facts = errorFacts(error);
  return { error: redactSecrets(facts.message, secrets), code: facts.code, ...(facts.requestId ? { requestId: facts.requestId } : {}) };
}

export function totalsOf(entries: readonly ReportEntry[]): ReportTotals {
  const count = (status: EntryStatus) => entries.filter((e) => e.status === status).length;
  const sum = (f: (e: ReportEntry) => number) => entries.reduce((n, e) => n + f(e), 0);
  const costUnknown = entries.some((e) => e.costUsd === null);
  return {
    briefs: entries.length,
    ok: count('ok'),
    failed: count('failed'),
    skipped: count('skipped'),
    invalid: count('invalid'),
    notRun: count('not-run'),
    requests: sum((e) => e.requests),
    cachedRequests: sum((e) => e.cachedRequests),
    inputTokens: sum((e) => e.tokens.input),
    outputTokens: sum((e) => e.tokens.output),
    costUsd: costUnknown ? null : roundUsd(sum((e) => e.costUsd ?? 0)),
  };
}

export function processFigures(): BatchReport['process'] {
  const usage = process.resourceUsage();
  return { maxRssKb: usage.maxRSS, userCpuMs: Math.round(usage.userCPUTime / 1000), systemCpuMs: Math.round(usage.systemCPUTime / 1000) };
}

export function relativePath(cwd: string, path: string): string {
  return relative(cwd, path) || path;
}

/** Written atomically: a CI step that reads it never sees half a report, even after Ctrl-C. */
export async function writeReport(cwd: string, file: string, report: BatchReport): Promise<string> {
  const path = resolve(cwd, file);
  await writeNewFile(dirname(path), basename(path), `${JSON.stringify(report, null, 2)}\n`, { force: true });
  return path;
}

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
  return [...items.map((item) => itemEntry(item, cwd, { status: 'not-run', reason: 'invalid-manifest' })), ...invalid.map(invalidEntry)];
}

/** Why a completed run counts as failed, or undefined when it succeeded. */
export function batchFailureMessage(report: BatchReport): string | undefined {
  const t = report.totals;
  if (report.stoppedBy === 'budget') {
    return (
      `budget reached: ${t.notRun} draft(s) not written; ` +
      `spent ${formatCost(t.costUsd)} of $${report.maxCostUsd}${t.failed ? `, and ${t.failed} failed` : ''}`
    );
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
