import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as z from 'zod';
import { UsageError } from '../core/errors.js';
import { historyDir, readHistory, undoStack, type HistoryEntry } from '../core/revise/history-store.js';
import { fingerprintOf } from '../core/revise/post.js';
import { parseOrThrow } from '../core/validation.js';
import type { CommandContext } from './context.js';

const HistoryOptionsSchema = z.object({ json: z.boolean().default(false) });

export async function runHistory(file: string, rawOptions: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const options = parseOrThrow(HistoryOptionsSchema, rawOptions, 'options', 'see `draft history --help`');
  const path = resolve(ctx.cwd, file);
  const entries = await readHistory(path);
  const dir = await historyDir(path);
  const current = await readFile(path).then(fingerprintOf, () => undefined);
  if (options.json) {
    ctx.ui.json({ file, dir, entries, current: current ?? null, undoable: undoStack(entries).map((e) => e.id) });
    return;
  }
  if (entries.length === 0) {
    if (current === undefined)
      throw new UsageError(`${file}: no such file, and no history for it`, { hint: 'Check the path and spelling.' });
    ctx.ui.out(`${file}: no history yet (draft keeps one from the first \`draft revise\`).`);
    return;
  }
  const inEffect = new Set(undoStack(entries).map((e) => e.id));
  const last = entries.at(-1)!;
  const lines = [`History of ${file} (kept in ${dir}), oldest first:`, ''];
  for (const entry of entries) lines.push(formatEntry(entry, inEffect.has(entry.id)));
  lines.push('');
  if (current === undefined) lines.push(`The file is missing now; \`draft undo ${file} --to N\` cannot write it back under this name.`);
  else if (current !== last.after.sha256)
    lines.push('The file has changed since the last entry (edited by hand); `draft undo` keeps those edits in history too.');
  const next = undoStack(entries).at(-1);
  lines.push(
    next ? `\`draft undo ${file}\` takes back #${next.id}; \`--to N\` brings back the version saved by entry N.` : 'Nothing left to undo.',
  );
  ctx.ui.out(lines.join('\n'));
}

function formatEntry(entry: HistoryEntry, inEffect: boolean): string {
  const when = entry.at.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z');
  const state = entry.action === 'undo' || entry.action === 'restore' ? '' : inEffect ? '' : ' (undone)';
  const what = entry.summary.join('; ') || 'no changes described';
  const saved = entry.before.snapshot ? `saved ${entry.before.bytes} bytes` : 'nothing saved';
  const renamed = entry.renamedFrom ? `, renamed from ${entry.renamedFrom}` : '';
  return `#${entry.id}  ${when}  ${entry.action.padEnd(7)} ${what}${state}${renamed}  [${saved}]`;
}
