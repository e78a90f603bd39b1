import { resolve } from 'node:path';
import { readStatePlace } from '../core/state-store.js';
import * as z from 'zod';
import { checkDraft, DEFAULT_REQUIRED_FIELDS, problemFromError } from '../core/check/check-draft.js';
import { findDrafts } from '../core/check/find-drafts.js';
import { byPlace, formatProblem, isError, type Problem } from '../core/check/problem.js';
import { DEFAULT_OUT_DIR, loadConfigFile, type ConfigFile } from '../core/config.js';
import { CheckFailedError, UsageError } from '../core/errors.js';
import { readTextFile } from '../core/fs/read-text.js';
import { parseOrThrow } from '../core/validation.js';
import type { CommandContext } from './context.js';

const CheckOptionsSchema = z.object({
  json: z.boolean().default(false),
  require: z.array(z.string().min(1)).default([]),
  config: z.string().optional(),
  style: z.boolean().default(false),
  source: z.array(z.string().min(1)).default([]),
  allowPrivateSources: z.boolean().optional(),
  refreshSources: z.boolean().optional(),
});

/** `draft check [PATH...]`: lints drafts for a pipeline. Sends no requests. Exit 1 when anything is wrong. */
export async function runCheck(paths: string[], rawOptions: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const options = parseOrThrow(CheckOptionsSchema, rawOptions, 'options', 'see `draft check --help`');
  const { config } = await loadConfigFile(ctx.cwd, options.config);
  const targets = paths.length > 0 ? paths : [config.outDir ?? DEFAULT_OUT_DIR];
  const files = await findDrafts(targets, ctx.cwd);
  if (files.length === 0)
    throw new UsageError(`no Markdown files in ${targets.join(', ')}`, { hint: 'give the drafts folder or Markdown files to check' });
  // The config's list replaces the defaults (a blog may have no description); --require adds to either.
  const required = [...new Set([...(config.check?.require ?? DEFAULT_REQUIRED_FIELDS), ...options.require])];

  const style = options.style ? await loadStyleCheck(ctx, config) : undefined;
  const figures = await loadFigureCheck(ctx, config, options);
  const problems: Problem[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readTextFile(resolve(ctx.cwd, file));
    } catch (error) {
      // An empty or binary file in the drafts folder is a problem to report, not a reason to stop.
      if (!(error instanceof UsageError)) throw error;
      problems.push({ file, ...problemFromError(error, resolve(ctx.cwd, file), 'file') });
      continue;
    }
    let sidecarState: unknown;
    try {
      sidecarState = (await readStatePlace(resolve(ctx.cwd, file), text, {})).sidecarState;
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push({ file, line: 1, rule: 'front-matter', message: error.message });
    }
    problems.push(...(await checkDraft(text, file, { required, sidecarState })));
    problems.push(...(await figures.check(text, file, sidecarState)));
    if (style) {
      const result = await style.check(text, file);
      problems.push(...result.problems);
      if (result.skipped.length > 0)
        ctx.ui.info(`${file}: written in ${result.language}; not checked: ${result.skipped.join(', ')} (English only)`);
    }
  }
  problems.sort(byPlace);

  const withProblems = new Set(problems.map((p) => p.file)).size;
  if (options.json) ctx.ui.json({ files: files.length, problems });
  else for (const p of problems) ctx.ui.out(formatProblem(p));
  const errors = problems.filter(isError);
  const warnings = problems.length - errors.length;
  if (errors.length > 0) {
    throw new CheckFailedError(
      `${errors.length} problem(s)${warnings > 0 ? ` and ${warnings} warning(s)` : ''} in ${withProblems} of ${files.length} file(s)`,
      {
        hint:
          'each line above is file:line[:column]: problem [rule]; ' +
          'warnings do not fail the check (set a rule to "error" in check.style)',
        code: 'check-failed',
        printedAsJson: options.json,
      },
    );
  }
  ctx.ui.success(`${files.length} file(s) checked: ${warnings > 0 ? `${warnings} warning(s), no errors` : 'no problems'}`);
}

/** The untraced-figure rule: the sources given with --source are loaded once, before any file is read. */
async function loadFigureCheck(
  ctx: CommandContext,
  config: ConfigFile,
  options: { source: string[]; allowPrivateSources?: boolean; refreshSources?: boolean },
) {
  const [{ figureProblems }, { findProjectRoot }] = await Promise.all([
    import('../core/check/figure-check.js'),
    import('../core/project-root.js'),
  ]);
  const projectRoot = await findProjectRoot(ctx.cwd);
  let given: Awaited<ReturnType<typeof import('../core/sources/load-sources.js').loadSources>>['sources'] | undefined;
  if (options.source.length > 0) {
    const [{ loadSources }, { sourceSpecFromText }, { sourceSettingsFrom }] = await Promise.all([
      import('../core/sources/load-sources.js'),
      import('../core/sources/source-spec.js'),
      import('../core/sources/source-settings.js'),
    ]);
    const settings = sourceSettingsFrom(options, config);
    given = (
      await loadSources(options.source.map(sourceSpecFromText), {
        cwd: ctx.cwd,
        projectRoot,
        limits: settings.limits,
        refresh: settings.refresh,
        signal: ctx.signal,
      })
    ).sources;
  }
  return {
    check: (text: string, file: string, sidecarState: unknown) =>
      figureProblems(text, file, { projectRoot, sidecarState, ...(given ? { given } : {}) }),
  };
}

/** The style rules and the AI tells list, loaded once for every file (`--style`). */
async function loadStyleCheck(ctx: CommandContext, config: ConfigFile) {
  const [{ loadAiTells }, { fileStyleProblems }] = await Promise.all([
    import('../core/style/ai-tells.js'),
    import('../core/style/style-problems.js'),
  ]);
  const tells = await loadAiTells({ cwd: ctx.cwd, env: ctx.env });
  const language = config.language;
  return { check: (text: string, file: string) => fileStyleProblems(text, file, { tells, severities: config.check?.style, language }) };
}
