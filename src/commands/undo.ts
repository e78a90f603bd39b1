import { relative, resolve } from 'node:path';
import * as z from 'zod';
import { unifiedDiff } from '../core/revise/diff-text.js';
import { applyUndo, planUndo } from '../core/revise/undo.js';
import { parseOrThrow } from '../core/validation.js';
import { diffPaint, paintDiff } from '../ui/diff-view.js';
import type { CommandContext } from './context.js';

const UndoOptionsSchema = z.object({
  to: z.coerce.number().int('must be a whole number').positive('must be a history entry number').optional(),
  dryRun: z.boolean().default(false),
  json: z.boolean().default(false),
});

export async function runUndo(file: string, rawOptions: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const options = parseOrThrow(UndoOptionsSchema, rawOptions, 'options', 'see `draft undo --help`');
  const path = resolve(ctx.cwd, file);
  const plan = await planUndo(path, file, options.to === undefined ? {} : { to: options.to });
  const target = plan.restorePath === path ? file : relative(ctx.cwd, plan.restorePath) || plan.restorePath;
  const what =
    plan.action === 'undo'
      ? `undo #${plan.target.id} (${plan.target.summary.join('; ') || plan.target.action})`
      : `bring back the version saved by #${plan.target.id}`;
  const diff = unifiedDiff(`a/${file}`, `b/${target}`, plan.current.toString('utf8'), plan.restored.toString('utf8'));
  if (plan.editedSince && !plan.noop) {
    ctx.ui.warn(`${file} was edited after draft last wrote it; the current text is kept in history, so this can be undone too`);
  }
  if (options.dryRun) {
    if (!options.json) ctx.ui.out(paintDiff(diff || '(no difference)\n', diffPaint(ctx.ui)));
    ctx.ui.info(`Dry run: would ${what}; nothing written.`);
    if (options.json) ctx.ui.json({ file, action: plan.action, target: plan.target.id, written: false, diff });
    return;
  }
  const entry = await applyUndo(plan, { signal: ctx.signal });
  if (plan.noop) ctx.ui.info(`${file} already holds the version #${plan.target.id} saved; nothing written (recorded as #${entry.id}).`);
  else if (plan.action === 'undo')
    ctx.ui.success(
      `Undid #${plan.target.id} of ${file}${target !== file ? ` (now ${target} again)` : ''}; ` +
        `recorded as #${entry.id}, so it can be undone with --to ${entry.id}`,
    );
  else ctx.ui.success(`Restored ${file} to the version saved by #${plan.target.id}; recorded as #${entry.id}`);
  if (options.json) ctx.ui.json({ file: target, action: plan.action, target: plan.target.id, written: !plan.noop, history: entry.id });
}
