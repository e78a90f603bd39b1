import { formatCost } from '../pricing.js';
import type { DraftEstimate } from './estimate.js';
import { costCell } from './progress-text.js';
import { alignColumns } from '../text-table.js';

export interface EstimatedDraft {
  id: string;
  path: string;
  model: string;
  /** undefined when the draft exists and would be skipped. */
  estimate?: DraftEstimate;
}

/** `draft batch --dry-run`: what would be sent and what it would cost, as a table for people. */
export function estimateTable(drafts: readonly EstimatedDraft[], header: string): string {
  const showModel = new Set(drafts.map((d) => d.model)).size > 1;
  const rows = drafts.map((d) => [
    d.id,
    d.path,
    ...(showModel ? [d.model] : []),
    ...(d.estimate
      ? [String(d.estimate.requests), String(d.estimate.inputTokens), String(d.estimate.outputTokens), costCell(d.estimate.costUsd), '']
      : ['', '', '', '', 'exists: skipped']),
  ]);
  const head = ['id', 'draft', ...(showModel ? ['model'] : []), 'requests', 'tokens in', 'tokens out', 'cost', 'note'];

  const todo = drafts.filter((d) => d.estimate);
  const sum = (f: (e: DraftEstimate) => number) => todo.reduce((n, d) => n + f(d.estimate!), 0);
  const costs = todo.map((d) => d.estimate!.costUsd);
  const cost = costs.some((c) => c === null) ? null : costs.reduce<number>((n, c) => n + (c ?? 0), 0);
  const skipped = drafts.length - todo.length;
  return [
    header,
    '',
    ...alignColumns([head, ...rows]),
    '',
    `Total: ${todo.length} draft(s) to write${skipped ? ` (${skipped} already exist)` : ''}, ` +
      `~${sum((e) => e.requests)} requests, ~${sum((e) => e.inputTokens)} tokens in, ` +
      `~${sum((e) => e.outputTokens)} out, cost ~${formatCost(cost)}`,
    'Estimates: outline and sections as planned; link repairs and retries come on top. Replies already cached cost nothing.',
  ].join('\n');
}
