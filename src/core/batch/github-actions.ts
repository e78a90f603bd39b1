import { appendFile } from 'node:fs/promises';
import { costCell } from './progress-text.js';
import type { BatchReport, EntryStatus, ReportEntry } from './report.js';

/**
 * GitHub Actions integration: workflow commands (`::error file=…,line=…::message`) become annotations
 * on the run, and Markdown appended to $GITHUB_STEP_SUMMARY shows on its summary page.
 */

export function inGitHubActions(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.GITHUB_ACTIONS) && env.GITHUB_ACTIONS !== 'false';
}

// The runner decodes these escapes; an unescaped newline would end the command and print the rest as plain log.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export interface AnnotationPlace {
  file?: string;
  line?: number;
  title?: string;
}

export function annotation(level: 'error' | 'warning' | 'notice', message: string, place: AnnotationPlace = {}): string {
  const props = [
    place.file !== undefined ? `file=${escapeProperty(place.file)}` : '',
    place.line !== undefined ? `line=${place.line}` : '',
    place.title !== undefined ? `title=${escapeProperty(place.title)}` : '',
  ].filter(Boolean);
  return `::${level}${props.length ? ` ${props.join(',')}` : ''}::${escapeData(message)}`;
}

/** Annotations for what needs a person's attention: failed drafts, skipped invalid briefs, an early stop. */
export function batchAnnotations(report: BatchReport, placeOf: (entry: ReportEntry) => { file: string; line?: number }): string[] {
  const lines: string[] = [];
  for (const entry of report.entries) {
    if (entry.status === 'failed') {
      lines.push(
        annotation('error', entry.error ?? 'failed', {
          ...placeOf(entry),
          title: `draft batch: ${entry.id ?? `brief ${entry.index}`} failed`,
        }),
      );
    } else if (entry.status === 'invalid') {
      lines.push(annotation('warning', entry.error ?? 'invalid brief', { ...placeOf(entry), title: 'draft batch: invalid brief skipped' }));
    }
  }
  const notRun = report.totals.notRun;
  if (report.stoppedBy === 'budget') {
    lines.push(
      annotation('warning', `${notRun} draft(s) not written: the next would have passed --max-cost $${report.maxCostUsd}`, {
        title: 'draft batch: budget reached',
      }),
    );
  } else if (report.stoppedBy === 'fail-fast') {
    lines.push(
      annotation('warning', `${notRun} draft(s) not started after the first failure (--fail-fast)`, { title: 'draft batch: stopped' }),
    );
  } else if (report.stoppedBy === 'interrupted') {
    lines.push(annotation('warning', `${notRun} draft(s) not written`, { title: 'draft batch: interrupted' }));
  }
  return lines;
}

const STATUS_LABEL: Record<EntryStatus, string> = {
  ok: '✅ ok',
  failed: '❌ failed',
  skipped: '⏭️ skipped',
  invalid: '⚠️ invalid',
  'not-run': '⏸️ not run',
};

// GitHub caps a step summary at 1 MiB; a few hundred rows stay far below it and are all anyone reads.
const MAX_ROWS = 300;

export function stepSummary(report: BatchReport): string {
  const t = report.totals;
  const shard = report.shard ? ` (shard ${report.shard.index}/${report.shard.count})` : '';
  const stopped = report.stoppedBy ? ` Stopped early: ${report.stoppedBy}.` : '';
  const rows = report.entries
    .slice(0, MAX_ROWS)
    .map((e) =>
      [
        cell(e.id ?? `#${e.index}`),
        STATUS_LABEL[e.status],
        e.path ? `\`${cell(e.path)}\`` : '',
        e.requests + e.cachedRequests === 0 ? '' : `${e.requests}${e.cachedRequests ? ` (+${e.cachedRequests} cached)` : ''}`,
        costCell(e.costUsd),
        e.durationMs ? `${(e.durationMs / 1000).toFixed(1)} s` : '',
        cell(e.error ?? e.reason ?? ''),
      ].join(' | '),
    );
  const more = report.entries.length > MAX_ROWS ? [``, `…and ${report.entries.length - MAX_ROWS} more in the JSON report.`] : [];
  return [
    `### draft batch: \`${cell(report.manifest)}\`${shard}`,
    '',
    `**${t.ok} ok · ${t.failed} failed · ${t.skipped} skipped · ${t.invalid} invalid · ${t.notRun} not run** — ` +
      `${t.requests} requests (${t.cachedRequests} from cache), ${t.inputTokens} tokens in / ${t.outputTokens} out, ` +
      `cost ${costCell(t.costUsd)}, ${(report.durationMs / 1000).toFixed(1)} s.${stopped}`,
    '',
    '| Brief | Status | Draft | Requests | Cost | Time | Note |',
    '| --- | --- | --- | --: | --: | --: | --- |',
    ...rows.map((r) => `| ${r} |`),
    ...more,
    '',
  ].join('\n');
}

export async function appendStepSummary(env: NodeJS.ProcessEnv, markdown: string): Promise<boolean> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  await appendFile(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8');
  return true;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}
