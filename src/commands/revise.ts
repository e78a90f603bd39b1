import { basename, dirname, resolve } from 'node:path';
import * as z from 'zod';
import { LINK_SHAPE, parseLinkSpec } from '../core/brief.js';
import { formatCoverage, type KeywordCoverage } from '../core/drafting/keywords.js';
import { RunError, UsageError } from '../core/errors.js';
import { formatCost } from '../core/pricing.js';
import { limitConcurrency } from '../core/provider/limited.js';
import { applyRevision, assertRevisable } from '../core/revise/apply-revision.js';
import { unifiedDiff } from '../core/revise/diff-text.js';
import { requireFocusPreset } from '../core/revise/focus-presets.js';
import { planRevision, type RevisionRequest } from '../core/revise/plan.js';
import { loadPost, postTitle, storedKeywords, type LoadedPost } from '../core/revise/post.js';
import { siteOptions } from '../core/site/site-schema.js';
import { revisePost, type RevisionProposal } from '../core/revise/revise-post.js';
import { loadReviseTemplates } from '../core/revise/revise-templates.js';
import { DEFAULT_TITLE_COUNT } from '../core/config.js';
import type { TitleProposal } from '../core/revise/title-proposals.js';
import { parseOrThrow } from '../core/validation.js';
import { confirmApply, pickTitle } from '../ui/questions.js';
import { diffPaint, paintDiff } from '../ui/diff-view.js';
import { findProjectRoot } from '../core/project-root.js';
import { loadRevisionSources } from '../core/sources/revision-sources.js';
import { sourceSettingsFrom } from '../core/sources/source-settings.js';
import { sourceSpecFromText } from '../core/sources/source-spec.js';
import { figureLines } from '../ui/figure-lines.js';
import type { CommandContext } from './context.js';
import { ConcurrencySchema, concurrencyFrom, loadConfigFile, MaxTokensSchema } from '../core/config.js';
import { openProvider, parseProviderOptions, resolveSettings } from './shared/provider-options.js';

const text = z.string().trim().min(1, 'must not be empty');

const ReviseOptionsSchema = z
  .object({
    focus: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][\w-]*$/, 'must be a preset name such as finance (see `draft focus list`)')
      .optional(),
    section: z.array(text).default([]),
    instruction: text.max(2000, 'at most 2000 characters').optional(),
    title: z.boolean().default(false),
    titles: z.coerce.number().int('must be a whole number').min(1, 'at least 1').max(10, 'at most 10').optional(),
    pick: z.coerce.number().int('must be a whole number').min(1, 'counts from 1').optional(),
    rename: z.boolean().default(false),
    addSection: text.max(150, 'at most 150 characters').optional(),
    after: text.optional(),
    link: text.optional(),
    seo: z.boolean().default(false),
    keyword: z.array(text.max(100)).default([]),
    author: text.max(200).optional(),
    yes: z.boolean().default(false),
    dryRun: z.boolean().default(false),
    json: z.boolean().default(false),
    concurrency: ConcurrencySchema.optional(),
    maxTokens: MaxTokensSchema.optional(),
    source: z.array(text).default([]),
    allowPrivateSources: z.boolean().optional(),
    skipBadSources: z.boolean().optional(),
    refreshSources: z.boolean().optional(),
    fixStyle: z.boolean().default(false),
  })
  .superRefine((o, ctx) => {
    const needs = (flag: string, present: unknown, what: string, needed: boolean) => {
      if (present !== undefined && present !== false && !needed)
        ctx.addIssue({ code: 'custom', path: [flag], message: `only works with ${what}` });
    };
    needs('after', o.after, '--add-section', o.addSection !== undefined);
    needs('pick', o.pick, '--title', o.title);
    needs('titles', o.titles, '--title', o.title);
    needs('rename', o.rename, '--title', o.title);
    if (o.keyword.length > 0 && !o.seo && !o.title)
      ctx.addIssue({ code: 'custom', path: ['keyword'], message: 'only works with --seo or --title' });
    if (o.pick !== undefined && o.pick > (o.titles ?? DEFAULT_TITLE_COUNT)) {
      ctx.addIssue({
        code: 'custom',
        path: ['pick'],
        message: `at most the number of titles proposed (${o.titles ?? DEFAULT_TITLE_COUNT})`,
      });
    }
    if (o.yes && o.dryRun) ctx.addIssue({ code: 'custom', path: ['dryRun'], message: 'cannot be combined with --yes' });
    if (o.fixStyle) {
      // The style problems say what to change and where; another request would blur what was fixed.
      const others = {
        focus: o.focus,
        instruction: o.instruction,
        section: o.section.length > 0 || undefined,
        title: o.title || undefined,
        addSection: o.addSection,
        link: o.link,
        seo: o.seo || undefined,
      };
      for (const [flag, value] of Object.entries(others)) {
        if (value !== undefined)
          ctx.addIssue({ code: 'custom', path: [flag], message: 'cannot be combined with --fix-style (run them one after the other)' });
      }
    }
  });

export async function runRevise(file: string, rawOptions: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const options = parseOrThrow(ReviseOptionsSchema, rawOptions, 'options', 'see `draft revise --help`');
  const providerOptions = parseProviderOptions(rawOptions);
  // May we ask? The Ui decides (a terminal, and no --yes), as it does for every command.
  const askable = ctx.ui.interactive;

  const link = options.link === undefined ? undefined : parseLinkSpec(options.link);
  if (options.link !== undefined && !link) {
    throw new UsageError(`--link: "${options.link}" must look like ${LINK_SHAPE} (a title, "=", then an http(s) URL)`, {
      hint: 'e.g. --link "Earlier post=https://example.com/post"',
    });
  }
  // Everything that can be refused is refused before the model is called, so nothing is spent.
  const post = await loadPost(resolve(ctx.cwd, file), file);
  if (!options.dryRun) await assertRevisable(post.path, file);
  const request: RevisionRequest = {
    ...(options.focus ? { focus: await requireFocusPreset(options.focus, ctx) } : {}),
    ...(options.instruction ? { instruction: options.instruction } : {}),
    sections: options.section,
    ...(options.title
      ? { title: { count: options.titles ?? DEFAULT_TITLE_COUNT, rename: options.rename, keywords: options.keyword } }
      : {}),
    ...(options.addSection ? { addSection: { heading: options.addSection, ...(options.after ? { after: options.after } : {}) } } : {}),
    ...(link ? { link } : {}),
    ...(options.seo ? { seo: { keywords: options.keyword.length ? options.keyword : storedKeywords(post.src.data) } } : {}),
    ...(options.author ? { author: options.author } : {}),
  };
  if (options.fixStyle) {
    const styleFix = await planStyleFixFor(post, providerOptions.config, ctx);
    if (styleFix.fix.skipped.length > 0) ctx.ui.info(`${file}: not checked: ${styleFix.fix.skipped.join(', ')} (English only)`);
    if (styleFix.targets.length === 0) {
      ctx.ui.info(`No style problems in ${file}; nothing sent, nothing written.`);
      if (options.json) ctx.ui.json({ file, changed: false, summary: [], written: false });
      return;
    }
    request.styleFix = styleFix;
  }
  const plan = planRevision(post, request);
  if (!options.yes && !options.dryRun && !askable) {
    throw new UsageError('stdin is not a terminal, so the revision cannot be shown for approval', {
      hint: 'pass --yes to apply it, or --dry-run to see the diff without writing anything',
    });
  }
  if (options.title && options.pick === undefined && !askable && !options.dryRun) {
    throw new UsageError(`--title needs --pick N ${options.yes ? 'with --yes' : 'when stdin is not a terminal'}`, {
      hint: 'e.g. --title --pick 1 (the model lists its best first)',
    });
  }
  const templates = await loadReviseTemplates(ctx);
  // The post's site config, found walking up from the post, whatever the working directory.
  const { settings, config } = await resolveSettings(
    providerOptions,
    ctx,
    await loadConfigFile(ctx.cwd, providerOptions.config, dirname(post.path)),
  );
  const cfg = config.config;
  if (!plan.request.author && cfg.author) plan.request.author = cfg.author;
  // The recorded sources and any given now, all read before the first request.
  const sources = await loadRevisionSources(post.state, options.source.map(sourceSpecFromText), {
    cwd: ctx.cwd,
    projectRoot: await findProjectRoot(dirname(post.path)),
    settings: sourceSettingsFrom(options, cfg),
    signal: ctx.signal,
  });
  const provider = limitConcurrency(await openProvider(settings, ctx), concurrencyFrom(options.concurrency, cfg));

  let proposal: RevisionProposal;
  const progress = await ctx.ui.progress(`Revising ${file} with ${settings.model}`);
  try {
    proposal = await revisePost({
      plan,
      post,
      provider,
      templates,
      signal: ctx.signal,
      maxTokens: options.maxTokens ?? cfg.maxTokens,
      prices: cfg.prices,
      site: siteOptions(cfg),
      ...(sources ? { sources } : {}),
      onPhase: (phase) => progress.update(phase),
      sectionProgress: {
        onDone: (heading) => {
          if (!ctx.ui.animated) ctx.ui.info(`revised ${heading === null ? 'the introduction' : `“${heading}”`}`);
        },
      },
      chooseTitle: async (titles) => {
        progress.stop();
        showTitles(ctx, titles, options.dryRun && options.pick === undefined);
        if (options.pick !== undefined) {
          if (options.pick > titles.length) {
            throw new RunError(`--pick ${options.pick}: the model proposed only ${titles.length} titles`, { hint: 'pick a lower number' });
          }
          return options.pick - 1;
        }
        return askable ? pickTitle(ctx.ui, postTitle(post), titles, ctx.signal) : undefined;
      },
    });
    progress.succeed(`Revision ready: ${proposal.summary.join('; ') || 'no changes'}`);
  } catch (error) {
    progress.fail('Revision failed; nothing was written');
    throw error;
  } finally {
    await provider.close?.();
  }

  if (proposal.coverage) showCoverage(ctx, proposal.coverage);
  const { usage } = proposal;
  const usageLine = [
    `  tokens    ${usage.inputTokens} in / ${usage.outputTokens} out in ${usage.requests} request${usage.requests === 1 ? '' : 's'}, cost ${formatCost(usage.costUsd, settings.provider === 'local')}`,
    ...figureLines(proposal.figures, sources?.records.length ?? 0),
  ].join('\n');
  const diff = proposal.changed
    ? unifiedDiff(`a/${file}`, `b/${proposal.renameTo ? resolveSibling(file, proposal.renameTo) : file}`, post.text, proposal.text)
    : '';
  const report = (extra: Record<string, unknown>) => {
    if (options.json)
      ctx.ui.json({
        file,
        changed: proposal.changed,
        summary: proposal.summary,
        changes: proposal.record,
        usage: proposal.usage,
        titles: proposal.titles,
        coverage: proposal.coverage,
        figures: proposal.figures,
        sources: sources?.records ?? [],
        diff,
        ...extra,
      });
  };

  if (!proposal.changed) {
    ctx.ui.info(`Nothing to change in ${file}; nothing written.`);
    ctx.ui.info(usageLine);
    return report({ written: false });
  }
  if (!options.json)
    ctx.ui.out(paintDiff(diff || `(only ${proposal.renameTo ? 'the file name' : 'the front matter'} changes)\n`, diffPaint(ctx.ui)));
  if (options.dryRun) {
    ctx.ui.info(`Dry run: nothing written.`);
    ctx.ui.info(usageLine);
    return report({ written: false, dryRun: true });
  }
  if (!options.yes && !(await confirmApply(`Apply this revision to ${file}?`, ctx.signal))) {
    ctx.ui.info('Not applied; nothing written.');
    return report({ written: false });
  }
  const applied = await applyRevision(proposal, { signal: ctx.signal });
  const shown = applied.path === post.path ? file : resolveSibling(file, basename(applied.path));
  ctx.ui.success(`Revised ${shown === file ? file : `${file} → ${shown}`}: ${proposal.summary.join('; ')}`);
  ctx.ui.info(`  history   #${applied.entry.id} keeps the previous version (\`draft undo ${shown}\` restores it)`);
  ctx.ui.info(usageLine);
  report({ written: true, path: applied.path, history: applied.entry.id });
}

/** The style problems of the post, under the config's severities and the post's (or the config's) language. */
async function planStyleFixFor(post: LoadedPost, configPath: string | undefined, ctx: CommandContext) {
  const [{ loadAiTells }, { planStyleFix }, { postLanguage, DEFAULT_LANGUAGE }] = await Promise.all([
    import('../core/style/ai-tells.js'),
    import('../core/style/fix-style.js'),
    import('../core/style/language.js'),
  ]);
  const { config } = await loadConfigFile(ctx.cwd, configPath, dirname(post.path));
  const language = postLanguage(post.src.data, post.state?.brief?.language) ?? config.language ?? DEFAULT_LANGUAGE;
  return planStyleFix(post, { tells: await loadAiTells(ctx), severities: config.check?.style, language });
}

function showTitles(ctx: CommandContext, titles: TitleProposal[], asResult: boolean): void {
  const lines = [
    'Proposed titles:',
    ...titles.map((t, i) => `  ${i + 1}. ${t.title}${t.rationale ? `\n     ${ctx.ui.paint.dim(t.rationale)}` : ''}`),
  ];
  if (asResult) ctx.ui.out(`${lines.join('\n')}\n(dry run without --pick: the title is left as it is)`);
  else ctx.ui.info(lines.join('\n'));
}

function showCoverage(ctx: CommandContext, coverage: { before: KeywordCoverage[]; after: KeywordCoverage[] }): void {
  if (coverage.before.length === 0) {
    ctx.ui.info('Keyword coverage: no keywords (pass --keyword, or list them under `keywords` in the front matter)');
    return;
  }
  ctx.ui.info(['Keyword coverage before:', ...coverage.before.map((c) => `  ${formatCoverage(c)}`)].join('\n'));
  ctx.ui.info(['Keyword coverage after:', ...coverage.after.map((c) => `  ${formatCoverage(c)}`)].join('\n'));
}

function resolveSibling(file: string, name: string): string {
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return slash === -1 ? name : file.slice(0, slash + 1) + name;
}
