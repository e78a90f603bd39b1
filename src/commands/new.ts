import * as z from 'zod';
import { siteOptions } from '../core/site/site-schema.js';
import { relative } from 'node:path';
import { BRIEF_HINT, briefProblems } from '../core/brief.js';
import { briefInputProblems, finishBrief, mergeBriefInput, type BriefFlags } from '../core/brief-input.js';
import { createDraftFile, loadGrounding } from '../core/drafting/create-draft-file.js';
import { loadDraftTemplates } from '../core/drafting/generate-draft.js';
import { formatCoverage } from '../core/drafting/keywords.js';
import { estimateRequests } from '../core/drafting/request-estimate.js';
import { NoProviderError, UsageError } from '../core/errors.js';
import { costOf, formatCost } from '../core/pricing.js';
import { limitConcurrency } from '../core/provider/limited.js';
import { redactUrl } from '../core/provider/redact.js';
import {
  ConcurrencySchema,
  DEFAULT_FILE_NAME_PATTERN,
  concurrencyFrom,
  loadConfigFile,
  MaxTokensSchema,
  notesHeadingFrom,
  outDirFrom,
  type LoadedConfig,
} from '../core/config.js';
import { draftTemplateProblems, fileNamePatternProblems, outputFolderProblems } from '../core/output-preflight.js';
import { check, flagName, problemsError } from '../core/validation.js';
import { askForBrief, outlineReviewer } from '../ui/new-questions.js';
import { findProjectRoot } from '../core/project-root.js';
import { sourceSettingsFrom } from '../core/sources/source-settings.js';
import { figureLines } from '../ui/figure-lines.js';
import type { CommandContext } from './context.js';
import { checkProviderOptions, openProvider, resolveSettings, type ProviderOptions } from './shared/provider-options.js';

const NewOptionsSchema = z.object({
  out: z.string().min(1).optional(),
  fileName: z.string().min(1).optional(),
  force: z.boolean().default(false),
  yes: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  json: z.boolean().default(false),
  concurrency: ConcurrencySchema.optional(),
  maxTokens: MaxTokensSchema.optional(),
  notesHeading: z.string().min(1).optional(),
  strictOutline: z.boolean().optional(),
  allowPrivateSources: z.boolean().optional(),
  skipBadSources: z.boolean().optional(),
  refreshSources: z.boolean().optional(),
  strictSources: z.boolean().optional(),
});

export type NewCommandOptions = BriefFlags & Record<string, unknown>;

export async function runNew(rawOptions: NewCommandOptions, ctx: CommandContext): Promise<void> {
  const started = Date.now();
  // May we ask? The Ui decides (a terminal, and no --yes), as it does for every command.
  const interactive = ctx.ui.interactive;

  // Every bad flag and brief field at once, before any question is asked.
  const parsed = check(NewOptionsSchema, rawOptions, { name: flagName });
  const provided = checkProviderOptions(rawOptions);
  const merged = await mergeBriefInput(rawOptions, ctx.cwd);
  const briefIssues = briefInputProblems(merged, { topicWillBeAsked: interactive });
  const flagIssues = [...parsed.problems, ...provided.problems];
  if (flagIssues.length + briefIssues.length > 0) {
    throw problemsError([...flagIssues, ...briefIssues], flagIssues.length ? 'see `draft new --help`' : BRIEF_HINT);
  }
  const options = parsed.value!;
  const providerOptions = provided.value!;
  if (!merged.raw.topic && !interactive) {
    throw new UsageError('--topic is required', {
      hint: 'pass --topic "..." or --brief FILE (stdin is not a terminal, so nothing is asked)',
    });
  }

  // The config, the provider and the output are checked before the questions too, so no answer is lost.
  const config = await loadConfigFile(ctx.cwd, providerOptions.config);
  const cfg = config.config;
  const settings = options.dryRun ? undefined : (await resolveSettings(providerOptions, ctx, config)).settings;
  const templates = await loadDraftTemplates(ctx);
  const outDir = outDirFrom(options.out, cfg, ctx.cwd);
  const pattern = options.fileName ?? cfg.fileName ?? DEFAULT_FILE_NAME_PATTERN;
  const provisional = briefProblems(merged.raw.topic ? merged.raw : { ...merged.raw, topic: 'to be asked' }).brief!;
  const preflight = [
    ...(await outputFolderProblems(
      outDir,
      options.out !== undefined ? '--out' : cfg.outDir !== undefined ? `${configLabel(config, ctx.cwd)}: outDir` : 'the output folder',
      options.out ?? cfg.outDir ?? relative(ctx.cwd, outDir),
    )),
    ...fileNamePatternProblems(pattern, options.fileName !== undefined ? '--file-name' : `${configLabel(config, ctx.cwd)}: fileName`),
    ...draftTemplateProblems(provisional, templates),
  ];
  if (preflight.length > 0) throw problemsError(preflight, 'nothing was sent; fix these and run again');

  if (interactive && !merged.raw.topic) merged.raw = await askForBrief(merged.raw, ctx.signal);
  if (!merged.raw.topic) throw new UsageError('--topic is required', { hint: 'pass --topic "..." or --brief FILE' });
  const brief = finishBrief(merged);

  if (options.dryRun || !settings) return dryRun(brief, templates, providerOptions, config, ctx);

  const concurrency = concurrencyFrom(options.concurrency, cfg);
  if (!brief.author && cfg.author) brief.author = cfg.author;
  if (!brief.language && cfg.language) brief.language = cfg.language;

  // Sources are read before anything else starts: a bad one is named before any model request.
  const sourceContext = { cwd: ctx.cwd, projectRoot: await findProjectRoot(ctx.cwd), settings: sourceSettingsFrom(options, cfg) };
  const grounding = await loadGrounding(brief, { sourceContext, signal: ctx.signal });
  const base = await openProvider(settings, ctx);
  const provider = limitConcurrency(base, concurrency);
  try {
    const progress = await ctx.ui.progress(`Outlining “${brief.topic}” with ${settings.model}`);
    let done = 0;
    let total = 0;
    let result;
    try {
      result = await createDraftFile({
        brief,
        provider,
        templates,
        signal: ctx.signal,
        maxTokens: options.maxTokens ?? cfg.maxTokens,
        strictOutline: options.strictOutline ?? cfg.strictOutline,
        outDir,
        fileNamePattern: pattern,
        force: options.force,
        notesHeading: notesHeadingFrom(options.notesHeading, cfg),
        site: siteOptions(cfg),
        prices: cfg.prices,
        sourceContext,
        grounding,
        reviewOutline: interactive
          ? async (outline) => {
              progress.stop();
              const decision = await outlineReviewer(ctx.ui, ctx.signal)(outline);
              // The spinner was hidden for the question; bring it back for the work that follows.
              progress.update(
                decision.action === 'regenerate' ? `Outlining “${brief.topic}” again with ${settings.model}` : 'Drafting sections',
              );
              return decision;
            }
          : undefined,
        onPhase: (phase) => {
          if (phase === 'links') progress.update('Checking links');
        },
        sectionEvents: {
          onStart: () => {
            total++;
            progress.update(`Drafting sections: ${done}/${total}`);
          },
          onDone: (_i, heading) => {
            done++;
            if (ctx.ui.animated) progress.update(`Drafting sections: ${done}/${total} (${heading ?? 'introduction'} done)`);
            else ctx.ui.info(`drafted ${heading ? `“${heading}”` : 'the introduction'}`);
          },
        },
      });
    } catch (error) {
      progress.fail('Draft failed');
      throw error;
    }
    progress.succeed(`Drafted “${result.title}”: introduction and ${result.sections.length} sections`);

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const { usage } = result;
    const local = settings.provider === 'local';
    ctx.ui.info(
      [
        `${ctx.ui.paint.bold('Wrote')} ${result.path}`,
        `  words     ${result.words}`,
        `  sections  ${result.sections.length} + introduction`,
        `  tokens    ${usage.inputTokens} in / ${usage.outputTokens} out in ${usage.requests} requests`,
        `  cost      ${formatCost(usage.costUsd, local)}`,
        `  time      ${seconds}s`,
        ...result.coverage.map((c) => `  keyword   ${formatCoverage(c)}`),
        ...result.warnings.map((w) => `  note      ${w}`),
        ...figureLines(result.figures, result.sources.length),
      ].join('\n'),
    );
    if (options.json) ctx.ui.json({ ...result, seconds: Number(seconds) });
  } finally {
    await provider.close?.();
  }
}

function configLabel(config: LoadedConfig, cwd: string): string {
  return config.path ? relative(cwd, config.path) : 'draft.config.json';
}

async function dryRun(
  brief: Parameters<typeof estimateRequests>[0],
  templates: Parameters<typeof estimateRequests>[1],
  providerOptions: ProviderOptions,
  loaded: LoadedConfig,
  ctx: CommandContext,
): Promise<void> {
  const { loadTokenCounter } = await import('../core/tokens.js');
  const estimate = estimateRequests(brief, templates, await loadTokenCounter());
  let model = 'not configured';
  let cost: string = 'unknown';
  try {
    const { settings, config } = await resolveSettings(providerOptions, ctx, loaded);
    model = `${settings.model} (${settings.provider}${settings.baseURL ? ` at ${redactUrl(settings.baseURL)}` : ''})`;
    const usage = { inputTokens: estimate.inputTokens, outputTokens: estimate.outputTokens };
    cost = formatCost(
      costOf(usage, settings.model, { local: settings.provider === 'local', prices: config.config.prices }),
      settings.provider === 'local',
    );
  } catch (error) {
    // A dry run needs no provider; anything else wrong with the setup is reported as a real run would.
    if (!(error instanceof NoProviderError)) throw error;
  }
  const first = estimate.requests[0]!;
  ctx.ui.out(
    [
      `Dry run: nothing will be sent. Model: ${model}`,
      '',
      `Request 1, ${first.purpose} (~${first.inputTokens} tokens in, ~${first.outputTokens} out):`,
      ...first.messages!.map((m) => `--- ${m.role} ---\n${m.content}`),
      '',
      `Then ${estimate.requests.length - 1} requests in parallel, one per part, each given the brief and the outline:`,
      ...estimate.requests.slice(1).map((r) => `  ${r.purpose}: ~${r.inputTokens} tokens in, ~${r.outputTokens} out`),
      brief.links.length ? `Up to ${brief.links.length} more if a required link is missing from the draft.` : '',
      '',
      `Estimated total: ~${estimate.inputTokens} tokens in, ~${estimate.outputTokens} out, ${estimate.requests.length} requests; cost ${cost}`,
    ]
      .filter((l, i, all) => l !== '' || all[i - 1] !== '')
      .join('\n'),
  );
}
