import { dirname, relative, resolve } from 'node:path';
import * as z from 'zod';
import { checkDraft, DEFAULT_REQUIRED_FIELDS } from '../core/check/check-draft.js';
import { formatProblem, isError } from '../core/check/problem.js';
import { loadConfigFile } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import { assertRevisable } from '../core/revise/apply-revision.js';
import { unifiedDiff } from '../core/revise/diff-text.js';
import { loadPost } from '../core/revise/post.js';
import { applyPublish } from '../core/site/apply-publish.js';
import { planPublish, siteWarnings } from '../core/site/publish-post.js';
import { parseOrThrow } from '../core/validation.js';
import { confirmApply } from '../ui/questions.js';
import { diffPaint, paintDiff } from '../ui/diff-view.js';
import type { CommandContext } from './context.js';

const PublishOptionsSchema = z
  .object({
    date: z.literal('now', { message: 'must be "now" (the date is otherwise kept)' }).optional(),
    force: z.boolean().default(false),
    author: z.string().trim().min(1).max(200).optional(),
    yes: z.boolean().default(false),
    dryRun: z.boolean().default(false),
    stripState: z.boolean().default(false),
    json: z.boolean().default(false),
    config: z.string().optional(),
  })
  .superRefine((o, ctx) => {
    if (o.yes && o.dryRun) ctx.addIssue({ code: 'custom', path: ['dryRun'], message: 'cannot be combined with --yes' });
  });

export async function runPublish(file: string, rawOptions: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const options = parseOrThrow(PublishOptionsSchema, rawOptions, 'options', 'see `draft publish --help`');
  const post = await loadPost(resolve(ctx.cwd, file), file);
  const loaded = await loadConfigFile(ctx.cwd, options.config, dirname(post.path));
  if (!options.dryRun) await assertRevisable(post.path, file);
  if (!options.force) {
    const required =
      loaded.config.check?.require ??
      DEFAULT_REQUIRED_FIELDS.map((k) => (k === 'date' ? (loaded.config.frontMatter?.dateKey ?? 'date') : k));
    const problems = (await checkDraft(post.text, file, { required, sidecarState: post.place?.sidecarState })).filter(isError);
    if (problems.length > 0) {
      for (const p of problems) ctx.ui.out(formatProblem(p));
      throw new UsageError(
        `${file}: draft check found ${problems.length} problem${problems.length === 1 ? '' : 's'}, so it was not published`,
        {
          hint: 'fix them and run again, or pass --force to publish anyway',
        },
      );
    }
  }
  if (!options.yes && !options.dryRun && !ctx.ui.interactive) {
    throw new UsageError('stdin is not a terminal, so the change cannot be shown for approval', {
      hint: 'pass --yes to publish, or --dry-run to see the diff',
    });
  }
  const now = new Date();
  const plan = planPublish(post, loaded, {
    now,
    dateNow: options.date === 'now',
    editor: options.author ?? loaded.config.author,
    stripState: options.stripState,
  });
  const shown = relative(ctx.cwd, plan.path) || file;
  const diff = unifiedDiff(`a/${file}`, `b/${shown}`, post.text, plan.text);
  const warnings = siteWarnings(plan.path, loaded);
  if (!options.json) ctx.ui.out(paintDiff(diff, diffPaint(ctx.ui)));
  for (const w of warnings) ctx.ui.warn(w);
  const report = (extra: Record<string, unknown>) => {
    if (options.json) ctx.ui.json({ file, path: plan.path, summary: plan.summary, warnings, diff, ...extra });
  };
  if (options.dryRun) {
    ctx.ui.info('Dry run: nothing written.');
    return report({ written: false, dryRun: true });
  }
  if (!options.yes && !(await confirmApply(`Publish ${file}?`, ctx.signal))) {
    ctx.ui.info('Not published; nothing written.');
    return report({ written: false });
  }
  const applied = await applyPublish(post, plan, { signal: ctx.signal, now });
  ctx.ui.success(
    `Published ${shown === file ? file : `${file} → ${shown}`}: ${plan.summary.join('; ') || 'the front matter already said so'}`,
  );
  ctx.ui.info(`  history   #${applied.entry.id} keeps the draft (\`draft undo ${shown}\` restores it)`);
  report({ written: true, history: applied.entry.id });
}
