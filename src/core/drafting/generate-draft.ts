import type { Brief } from '../brief.js';
import { CollaborationLog } from '../collab/log.js';
import type { Template } from '../templates/render-template.js';
import type { ChatProvider } from '../provider/types.js';
import { draftSections, type DraftedPart, type SectionEvents } from './draft-sections.js';
import { keywordCoverage, type KeywordCoverage } from './keywords.js';
import { ensureLinks, missingLinks } from './links.js';
import { UsageMeter } from './model-call.js';
import { onceRequestSent } from './once-request-sent.js';
import { modelFor, modelUse } from '../provider/staged-provider.js';
import type { PriceTable } from '../pricing.js';
import { DESCRIPTION_LIMIT } from '../defaults.js';
import { cleanOutlineText, generateOutline, type Outline } from './outline.js';
import { cleaningDetails } from '../model-text.js';
import { ProviderError } from '../errors.js';
import { loadMarkdown } from '../markdown.js';
import type { CitationStyle } from '../sources/citations.js';
import type { SourceContext } from '../sources/source-context.js';

export interface DraftTemplates {
  outline: Template;
  section: Template;
  link: Template;
}

/** What the writer decided about a proposed outline (interactive use only). */
export type OutlineDecision =
  | { action: 'accept' }
  | { action: 'edit'; outline: Outline; summary?: string }
  | { action: 'regenerate'; feedback?: string };

export interface GenerateDraftOptions {
  brief: Brief;
  provider: ChatProvider;
  templates: DraftTemplates;
  signal?: AbortSignal;
  maxTokens?: number;
  now?: () => Date;
  /** Absent in batch and non-interactive use: the outline is accepted as generated. */
  reviewOutline?: (outline: Outline) => Promise<OutlineDecision>;
  onPhase?: (phase: 'outline' | 'sections' | 'links') => void;
  sectionEvents?: SectionEvents;
  /** Fail when the model's outline keeps another section count than the brief's (`--strict-outline`). */
  strictOutline?: boolean;
  /** The editor's sources, loaded and indexed (absent or empty: nothing to ground in). */
  sources?: SourceContext;
  citations?: CitationStyle;
  /** Sections with untraced figures are asked for once more, naming them (`--strict-sources`). */
  strictSources?: boolean;
  /** The meter to count into; batch passes its own so a draft that fails still reports what it spent. */
  meter?: UsageMeter;
  /** The config's prices, for the per-model costs of a run with a model per stage. */
  prices?: PriceTable;
}

export interface GeneratedDraft {
  outline: Outline;
  title: string;
  description: string;
  tags: string[];
  parts: DraftedPart[];
  log: CollaborationLog;
  meter: UsageMeter;
  coverage: KeywordCoverage[];
  /** What the user should be told although the draft succeeded, e.g. "the model proposed 5 sections instead of 3". */
  warnings: string[];
}

/** The writer's path, terminal-free: brief → outline (reviewed) → sections in parallel → checks. */
export async function generateDraft(options: GenerateDraftOptions): Promise<GeneratedDraft> {
  const { brief, provider, templates } = options;
  const meter = options.meter ?? new UsageMeter();
  const log = new CollaborationLog([], options.now);
  // Load the Markdown toolchain while the first request is in flight, not after the last one, nor before
  // it is on the wire.
  onceRequestSent(() => loadMarkdown().catch(() => {})); // a failure resurfaces where it is awaited
  const model = provider.info.model;
  // With a model per stage (config `models`), each event names the model that did it.
  const outlineModel = modelFor(provider.info, 'the outline').model;
  const sectionModel = modelFor(provider.info, 'the introduction').model;
  recordBrief(log, brief);
  const sources = options.sources && !options.sources.empty ? options.sources : undefined;
  if (sources) {
    log.add('editor', brief.author, 'sources-provided', {
      sources: sources.sources.map((s) => ({ title: s.title, url: s.url, location: s.location })),
    });
  }
  const warnings: string[] = [];

  options.onPhase?.('outline');
  let feedback: string | undefined;
  let previous: Outline | undefined;
  let outline: Outline;
  for (;;) {
    outline = await generateOutline({
      provider,
      template: templates.outline,
      brief,
      meter,
      signal: options.signal,
      feedback,
      previous,
      sourceDigest: sources?.digest(),
      maxTokens: options.maxTokens,
      // Model text is data: what had to be made one line of plain text is recorded, as a trim is.
      onCleaned: (cleaned) => log.add('tool', undefined, 'model-text-cleaned', cleaningDetails(cleaned)),
      strict: options.strictOutline,
      onCountDiffers: ({ expected, got }) => {
        // Accepted rather than failing a paid-for run; the review shows it on a terminal.
        warnings.push(`the model proposed ${got} sections instead of ${expected}`);
        log.add('ai', outlineModel, 'outline-count-differs', { expected, got });
      },
    });
    log.add('ai', outlineModel, 'outline-generated', { title: outline.title, sections: outline.sections.map((s) => s.heading) });
    const decision = options.reviewOutline ? await options.reviewOutline(outline) : { action: 'accept' as const };
    if (decision.action === 'regenerate') {
      feedback = decision.feedback;
      previous = outline;
      log.add('editor', brief.author, 'outline-regenerated', { feedback });
      continue;
    }
    if (decision.action === 'edit') {
      // An outline edited by hand lands in the same one-line places as the model's.
      outline = cleanOutlineText(decision.outline).outline;
      log.add('editor', brief.author, 'outline-edited', { summary: decision.summary });
    }
    log.add(options.reviewOutline ? 'editor' : 'tool', options.reviewOutline ? brief.author : undefined, 'outline-accepted', {
      auto: !options.reviewOutline,
    });
    break;
  }
  if (brief.title && outline.title !== brief.title) {
    log.add('ai', outlineModel, 'title-refined', { from: brief.title, to: outline.title });
  }
  const description = fitDescription(outline.description, log);

  options.onPhase?.('sections');
  const sectionOptions = {
    provider,
    template: templates.section,
    brief,
    outline,
    meter,
    signal: options.signal,
    maxTokens: options.maxTokens,
    events: options.sectionEvents,
    sources,
    citations: options.citations,
  };
  let parts = await draftSections(sectionOptions);
  log.add('ai', sectionModel, 'sections-drafted', { headings: outline.sections.map((s) => s.heading) });
  if (sources) {
    if (options.strictSources) parts = await resourceUntraced(parts, sectionOptions, sources, log, model);
    const dropped = parts.flatMap((p) =>
      p.grounding?.unknownCitations.length ? [{ section: p.heading, numbers: p.grounding.unknownCitations }] : [],
    );
    if (dropped.length) log.add('tool', undefined, 'citations-dropped', { parts: dropped });
  }

  if (brief.links.length > 0) {
    options.onPhase?.('links');
    parts = await ensureLinks({
      provider,
      template: templates.link,
      title: outline.title,
      parts,
      links: brief.links,
      meter,
      log,
      signal: options.signal,
    });
    const stillMissing = await missingLinks(parts, brief.links);
    if (stillMissing.length > 0) {
      // ensureLinks always inserts a sentence as a last resort, so this is a bug guard, not a user path.
      throw new ProviderError('invalid-output', `links missing after repair: ${stillMissing.map((l) => l.url).join(', ')}`);
    }
  }

  if (meter.byModel.size > 0) log.add('tool', undefined, 'models-used', { models: modelUse(meter.byModel, options.prices) });
  return {
    outline,
    title: outline.title,
    description,
    tags: outline.tags,
    parts,
    log,
    meter,
    coverage: keywordCoverage(brief.keywords, { title: outline.title, description, parts }),
    warnings,
  };
}

/**
 * `--strict-sources`: a part whose figures are not all in the sources it cites (or the brief) is drafted
 * once more, told which figures to source from its excerpts or remove. What remains is the caller's to refuse.
 */
async function resourceUntraced(
  parts: DraftedPart[],
  sectionOptions: Parameters<typeof draftSections>[0],
  sources: SourceContext,
  log: CollaborationLog,
  model: string,
): Promise<DraftedPart[]> {
  // Only --strict-sources needs the figure tracer (and the Markdown parser under it), so it loads here.
  const [{ briefTexts, citedIn }, { evidenceFrom }, { postFigures, traceFigures }] = await Promise.all([
    import('../sources/ground-draft.js'),
    import('../sources/figures.js'),
    import('../sources/trace-figures.js'),
  ]);
  const brief = briefTexts(sectionOptions.brief);
  const untracedIn = async (part: DraftedPart) => {
    const cited = new Set(citedIn(part.markdown, sources.sources));
    const evidence = evidenceFrom([...brief, ...sources.sources.filter((s) => cited.has(s.number)).map((s) => s.text)]);
    return traceFigures(await postFigures(part.markdown), () => evidence).untraced.map((f) => f.text);
  };
  const problems = new Map<number, string[]>();
  for (const [index, part] of parts.entries()) {
    const untraced = await untracedIn(part);
    if (untraced.length) problems.set(index, untraced);
  }
  if (problems.size === 0) return parts;
  const indices = [...problems.keys()];
  const redrafted = await draftSections({ ...sectionOptions, only: indices, figureProblems: problems });
  log.add('ai', model, 'figures-resourced', { sections: indices.map((i) => parts[i]!.heading) });
  const out = [...parts];
  for (const [j, index] of indices.entries()) out[index] = redrafted[j]!;
  return out;
}

function recordBrief(log: CollaborationLog, brief: Brief): void {
  const who = brief.author;
  log.add('editor', who, 'brief', {
    topic: brief.topic,
    audience: brief.audience,
    tone: brief.tone,
    words: brief.words,
    sections: brief.sections,
  });
  if (brief.direction) log.add('editor', who, 'direction', { text: brief.direction });
  if (brief.title) log.add('editor', who, 'title-input', { title: brief.title, keep: brief.keepTitle || undefined });
  if (brief.links.length) log.add('editor', who, 'links-requested', { links: brief.links });
  if (brief.keywords.length) log.add('editor', who, 'keywords-requested', { keywords: brief.keywords });
}

/** Search engines cut meta descriptions at about 160 characters: cut at a word, and say so in the log. */
export function fitDescription(description: string, log: CollaborationLog): string {
  const clean = description.replace(/\s+/g, ' ').trim();
  if (clean.length <= DESCRIPTION_LIMIT) return clean;
  const cut = clean.slice(0, DESCRIPTION_LIMIT - 1);
  const atWord = cut.slice(0, Math.max(cut.lastIndexOf(' '), 80)).replace(/[\s,;:.-]+$/, '');
  const fitted = `${atWord}…`;
  log.add('tool', undefined, 'description-trimmed', { length: fitted.length });
  return fitted;
}

export async function loadDraftTemplates(options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<DraftTemplates> {
  const { requireTemplate } = await import('../templates/load-templates.js');
  const [outline, section, link] = await Promise.all([
    requireTemplate('outline', options),
    requireTemplate('section', options),
    requireTemplate('link', options),
  ]);
  return { outline, section, link };
}
