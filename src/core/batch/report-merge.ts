/**
 * `draft batch report merge A.json B.json … -o all.json`: the shard reports of a CI fleet as one
 * report. It checks that they come from one manifest and one split (same shard count, no shard twice,
 * none missing), and, when the manifest is at hand, that together they cover every brief in it; a
 * brief missing or drafted twice is named. The merged report has the online report's shape, so the
 * step summary and anything reading report.json work unchanged.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { loadBatch } from './load-batch.js';
import { entryLocation } from './load-manifest.js';
import { totalsOf, type BatchReport, type ReportEntry } from './report.js';

export interface MergedReport extends BatchReport {
  merged: {
    reports: string[];
    shards: string[];
    /** Whether coverage was checked against the manifest itself (else from the shards only). */
    manifestChecked: boolean;
    missing: { index: number; id: string | null; source: string }[];
    duplicated: { index: number; id: string | null; reports: string[] }[];
    problems: string[];
  };
}

export async function readReport(cwd: string, file: string): Promise<BatchReport> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read the report (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      hint: 'name the report.json files the shards wrote',
    });
  }
  let report: BatchReport;
  try {
    report = JSON.parse(text) as BatchReport;
  } catch {
    throw new UsageError(`${file}: not JSON`, { hint: 'name the report.json files `draft batch --report` wrote' });
  }
  if (report?.version !== 1 || !Array.isArray(report.entries) || typeof report.manifest !== 'string') {
    throw new UsageError(`${file}: not a draft batch report (version 1, manifest, entries)`, {
      hint: 'name the report.json files `draft batch --report` wrote',
    });
  }
  return report;
}

export async function mergeReports(files: readonly string[], options: { cwd: string; manifest?: string }): Promise<MergedReport> {
  const reports = await Promise.all(files.map((file) => readReport(options.cwd, file)));
  const manifests = [...new Set(reports.map((r) => r.manifest))];
  if (manifests.length > 1) {
    throw new UsageError(`the reports come from different manifests: ${files.map((f, i) => `${f} (${reports[i]!.manifest})`).join(', ')}`, {
      hint: 'merge the shard reports of one manifest at a time',
    });
  }
  const problems: string[] = [];
  const shards = reports.map((r) => (r.shard ? `${r.shard.index}/${r.shard.count}` : 'all'));
  const counts = [...new Set(reports.flatMap((r) => (r.shard ? [r.shard.count] : [])))];
  if (counts.length > 1) problems.push(`the reports split the manifest differently: shards ${shards.join(', ')}`);
  if (counts.length === 1 && reports.every((r) => r.shard)) {
    const count = counts[0]!;
    const seen = new Map<number, string[]>();
    for (const [i, r] of reports.entries()) seen.set(r.shard!.index, [...(seen.get(r.shard!.index) ?? []), files[i]!]);
    for (let index = 1; index <= count; index++) {
      if (!seen.has(index)) problems.push(`shard ${index}/${count} is missing`);
      else if (seen.get(index)!.length > 1) problems.push(`shard ${index}/${count} is in ${seen.get(index)!.join(' and ')}`);
    }
  }

  // One entry per brief: a brief in two reports is flagged, and its better outcome kept.
  const byIndex = new Map<number, { entry: ReportEntry; from: string[] }>();
  reports.forEach((report, i) => {
    for (const entry of report.entries) {
      const seen = byIndex.get(entry.index);
      if (!seen) byIndex.set(entry.index, { entry, from: [files[i]!] });
      else {
        seen.from.push(files[i]!);
        if (rank(entry) > rank(seen.entry)) seen.entry = entry;
      }
    }
  });
  const duplicated = [...byIndex.values()]
    .filter((s) => s.from.length > 1)
    .map((s) => ({ index: s.entry.index, id: s.entry.id, reports: s.from }));
  for (const d of duplicated) {
    const twice = reports.flatMap((r) => r.entries.filter((e) => e.index === d.index && e.status === 'ok')).length > 1;
    problems.push(`brief ${d.id ?? `#${d.index}`} is in ${d.reports.join(' and ')}${twice ? ' and was drafted twice' : ''}`);
  }

  const missing: MergedReport['merged']['missing'] = [];
  const manifestPath = options.manifest ?? manifests[0]!;
  let manifestChecked = false;
  const expected = await expectedBriefs(manifestPath, options.cwd);
  if (expected) {
    manifestChecked = true;
    for (const brief of expected) if (!byIndex.has(brief.index)) missing.push(brief);
    for (const m of missing) problems.push(`brief ${m.id ?? `#${m.index}`} (${m.source}) is in no report`);
  }

  const entries = [...byIndex.values()].map((s) => s.entry).sort((a, b) => a.index - b.index);
  const started = Math.min(...reports.map((r) => Date.parse(r.startedAt)));
  const finished = Math.max(...reports.map((r) => Date.parse(r.finishedAt)));
  return {
    version: 1,
    manifest: manifests[0]!,
    shard: null,
    concurrency: Math.max(...reports.map((r) => r.concurrency)),
    maxCostUsd: reports.some((r) => r.maxCostUsd !== null) ? reports.reduce((n, r) => n + (r.maxCostUsd ?? 0), 0) : null,
    cache: reports[0]!.cache,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
    stoppedBy: reports.find((r) => r.stoppedBy)?.stoppedBy ?? null,
    totals: totalsOf(entries),
    // The fleet's biggest process and its total CPU.
    process: {
      maxRssKb: Math.max(...reports.map((r) => r.process?.maxRssKb ?? 0)),
      userCpuMs: reports.reduce((n, r) => n + (r.process?.userCpuMs ?? 0), 0),
      systemCpuMs: reports.reduce((n, r) => n + (r.process?.systemCpuMs ?? 0), 0),
    },
    entries,
    merged: { reports: [...files], shards, manifestChecked, missing, duplicated, problems },
  };
}

/** A brief that was drafted beats one skipped, which beats one that failed or never ran. */
function rank(entry: ReportEntry): number {
  return { ok: 4, skipped: 3, failed: 2, 'not-run': 1, invalid: 0 }[entry.status];
}

/** Every brief of the manifest, valid or not, when the manifest can be read here. */
async function expectedBriefs(
  manifestPath: string,
  cwd: string,
): Promise<{ index: number; id: string | null; source: string }[] | undefined> {
  try {
    const batch = await loadBatch(manifestPath, { cwd, outDir: resolve(cwd, 'drafts') });
    return [
      ...batch.items.map((item) => ({ index: item.entry.index, id: item.id, source: entryLocation(item.entry) })),
      ...batch.invalid.map((bad) => ({ index: bad.entry.index, id: bad.id ?? null, source: entryLocation(bad.entry) })),
    ];
  } catch (error) {
    if (error instanceof UsageError) return undefined;
    throw error;
  }
}

export function mergeSummary(report: MergedReport): string {
  const m = report.merged;
  return [
    `Merged ${m.reports.length} report(s) (shards ${m.shards.join(', ')}) of \`${report.manifest}\`: ` +
      (m.problems.length === 0
        ? `every brief covered once${m.manifestChecked ? '' : ' (checked from the shards; the manifest was not found here)'}.`
        : `${m.problems.length} problem(s):`),
    ...m.problems.map((p) => `- ${p}`),
    '',
  ].join('\n');
}
