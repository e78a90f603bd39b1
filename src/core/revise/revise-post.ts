import { existsSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Brief } from '../brief.js';
import { CollaborationLog } from '../collab/log.js';
import { parseSource } from '../document/front-matter.js';
import type { KeywordCoverage } from '../drafting/keywords.js';
import { UsageMeter } from '../drafting/model-call.js';
import { cleaningDetails, withoutNulDeep } from '../model-text.js';
import type { PriceTable } from '../pricing.js';
import { modelFor, modelUse } from '../provider/staged-provider.js';
import type { ChatProvider } from '../provider/types.js';
import type { SiteOptions } from '../site/site-schema.js';
import { slugify } from '../slug.js';
import { traceBody } from '../sources/ground-draft.js';
import type { RevisionSources } from '../sources/revision-sources.js';
import type { FigureReport } from '../sources/trace-figures.js';
import { styleFixOutcome, styleInstruction } from '../style/fix-style.js';
import { addSection } from './add-section.js';
import { guidanceFor } from './guidance.js';
import type { HandEdits } from './hand-edits.js';
import { workInLink } from './link-revision.js';
import type { RevisionPlan } from './plan.js';
import { postTitle, stringField, type LoadedPost } from './post.js';
import { assertReferencesResolve } from './reference-check.js';
import { reviseSections, type SectionProgress } from './revise-sections.js';
import type { ReviseTemplates } from './revise-templates.js';
import { recordHandEdits, recordRequests } from './revision-log.js';
import { renderRevision, usageOf } from './revision-render.js';
import { shiftLines } from '../sources/trace-figures.js';
import { linesBefore } from '../document/text-positions.js';
import { coverageOf, improveSeo } from './seo.js';
import type { RevisionUsage } from './stored-state.js';
import { proposeTitles, type TitleProposal } from './title-proposals.js';
import { WorkingCopy } from './working-copy.js';

/** What changed, as stored in history and printed with --json. */
export interface RevisionRecord {
  focus?: string;
  instruction?: string;
  /** Headings of the sections whose text was revised. */
  sections: string[];
  introduction: boolean;
  added?: string;
  link?: { title: string; url: string; section: string | null; alreadyPresent?: boolean };
  title?: { from: string; to: string };
  rename?: { from: string; to: string };
  seo?: { keywords: string[]; description?: string; headings: { from: string; to: string }[]; introduction: boolean };
  handEdits?: HandEdits;
  /** `--fix-style`: the problems found before, by `rule "text"`, split by whether the revised part still has them. */
  style?: { fixed: string[]; remaining: string[] };
}

export interface RevisionProposal {
  post: LoadedPost;
  /** The whole new file. */
  text: string;
  changed: boolean;
  /** New file name (same folder) when --rename applies. */
  renameTo?: string;
  record: RevisionRecord;
  /** One line per change, for people. */
  summary: string[];
  usage: RevisionUsage;
  titles?: TitleProposal[];
  coverage?: { before: KeywordCoverage[]; after: KeywordCoverage[] };
  /** Every figure of the revised post and whether a source (or the brief) vouches for it; lines are the new file's. */
  figures: FigureReport;
  /** The new state when it lives in a sidecar (state-store.ts); the text then holds none. */
  sidecarState?: unknown;
}

export interface ReviseOptions {
  plan: RevisionPlan;
  post: LoadedPost;
  provider: ChatProvider;
  templates: ReviseTemplates;
  signal?: AbortSignal;
  maxTokens?: number;
  prices?: PriceTable;
  now?: () => Date;
  /** Picks one of the proposed titles (index), or undefined to keep the current one. */
  chooseTitle?: (proposals: TitleProposal[]) => Promise<number | undefined>;
  onPhase?: (text: string) => void;
  sectionProgress?: SectionProgress;
  /** The post's recorded sources plus any given for this revision (`--source`). */
  sources?: RevisionSources;
  /** The site's front-matter mapping and state mode (config `frontMatter`, `state`). */
  site?: SiteOptions;
}

/**
 * The editor's path, terminal-free: hand edits are detected, each request runs against a working
 * copy (sections, then a new section, the link, SEO, the title), and the result is spliced into the
 * original text by offsets, with the state and the notes regenerated. Nothing is written here.
 */
export async function revisePost(options: ReviseOptions): Promise<RevisionProposal> {
  const { post, provider, templates } = options;
  // The editor's strings reach the log, the notes and (a new heading) the body: no NUL in any of them.
  const plan: RevisionPlan = { ...options.plan, request: withoutNulDeep(options.plan.request) };
  const { request } = plan;
  const model = provider.info.model;
  // With a model per stage (config `models`), each event names the model that did it.
  const reviseModel = modelFor(provider.info, 'the revision of the introduction').model;
  const meter = new UsageMeter();
  const log = new CollaborationLog([], options.now);
  const copy = new WorkingCopy(post);
  const title = postTitle(post);
  // The editor asking for this revision (--author, else the config's author) is never the post's writer.
  const author = request.author;
  const guidance = guidanceFor({ title, state: post.state, focus: request.focus, instruction: request.instruction });
  const record: RevisionRecord = { sections: [], introduction: false };
  if (request.focus) record.focus = request.focus.name;
  if (request.instruction) record.instruction = request.instruction;
  const summary: string[] = [];
  const common = { provider, meter, signal: options.signal, maxTokens: options.maxTokens };

  const handEdits = recordHandEdits(log, author, post, plan);
  if (handEdits) record.handEdits = handEdits;
  recordRequests(log, author, plan);

  if (plan.targets.length > 0) {
    options.onPhase?.(
      `Revising ${plan.targets.length === 1 ? partName(plan.targets[0]!.heading) : `${plan.targets.length} parts`} with ${model}`,
    );
    await reviseSections({
      ...common,
      copy,
      targets: plan.targets,
      guidance,
      template: templates.section,
      progress: options.sectionProgress,
      sources: options.sources?.context,
      citations: options.sources?.settings.citations,
      ...(request.styleFix ? { instructionFor: (s) => styleInstruction(request.styleFix!.fix.bySection.get(s.index) ?? []) } : {}),
    });
    record.sections = plan.targets.flatMap((s) => (s.heading === null ? [] : [s.heading]));
    record.introduction = plan.targets.some((s) => s.heading === null);
    log.add('ai', reviseModel, 'sections-revised', {
      headings: record.sections,
      introduction: record.introduction || undefined,
      focus: request.focus?.name,
    });
    summary.push(`revised ${describeParts(record.sections, record.introduction)}`);
    if (request.styleFix) {
      // Each reply is checked again, so the log says what the revision fixed and what is left.
      record.style = await styleFixOutcome(copy, plan.targets, request.styleFix.fix);
      log.add('ai', reviseModel, 'style-fixed', record.style);
      summary.push(`style: ${record.style.fixed.length} of ${record.style.fixed.length + record.style.remaining.length} problem(s) fixed`);
    }
  }

  if (request.addSection && plan.placement) {
    options.onPhase?.(`Drafting the new section “${request.addSection.heading}”`);
    await addSection({
      ...common,
      copy,
      heading: request.addSection.heading,
      placement: plan.placement,
      guidance,
      template: templates.addSection,
    });
    record.added = request.addSection.heading;
    log.add('ai', modelFor(provider.info, 'the new section').model, 'section-added', { heading: request.addSection.heading });
    summary.push(`added the section “${request.addSection.heading}”`);
  }

  if (request.link) {
    options.onPhase?.(`Working in the link to ${request.link.url}`);
    const outcome = await workInLink({ ...common, copy, link: request.link, section: plan.linkTarget, template: templates.link, title });
    if (outcome.status === 'added') {
      record.link = { ...request.link, section: outcome.section };
      log.add('ai', model, 'link-added', { ...request.link, section: outcome.section ?? undefined });
      summary.push(`linked [${request.link.title}](${request.link.url}) in ${partName(outcome.section)}`);
    } else {
      record.link = { ...request.link, section: null, alreadyPresent: true };
      summary.push(`the post already links to ${request.link.url}`);
    }
  }

  const frontMatter: Record<string, unknown> = {};
  let coverage: RevisionProposal['coverage'];
  if (request.seo) {
    options.onPhase?.('Improving SEO');
    const description = stringField(post.src.data, 'description');
    const keywords = request.seo.keywords;
    const before = coverageOf(copy, keywords, title, description ?? '');
    const seo = await improveSeo({
      ...common,
      copy,
      title,
      description,
      keywords,
      allowTitle: !request.title,
      guidance,
      template: templates.seo,
      log,
    });
    if (seo.description.to !== description) frontMatter.description = seo.description.to;
    if (seo.title) copy.title = seo.title;
    record.seo = { keywords, description: seo.description.to, headings: seo.headings, introduction: seo.introduction };
    log.add('ai', modelFor(provider.info, 'the SEO revision').model, 'seo-revised', {
      description: seo.description.to !== description || undefined,
      title: seo.title,
      headings: seo.headings.length || undefined,
      introduction: seo.introduction || undefined,
    });
    summary.push(describeSeo(seo, description));
    coverage = { before, after: coverageOf(copy, keywords, copy.title ?? title, seo.description.to) };
  }

  let titles: TitleProposal[] | undefined;
  let renameTo: string | undefined;
  if (request.title) {
    options.onPhase?.(`Proposing ${request.title.count} titles`);
    titles = await proposeTitles({
      ...common,
      post: copy.markdown(),
      count: request.title.count,
      guidance,
      keywords: request.title.keywords?.length ? request.title.keywords : (request.seo?.keywords ?? []),
      template: templates.title,
      onCleaned: (cleaned) => log.add('tool', undefined, 'model-text-cleaned', cleaningDetails(cleaned)),
    });
    log.add('ai', modelFor(provider.info, 'the title proposals').model, 'titles-proposed', { count: titles.length });
    const pick = await options.chooseTitle?.(titles);
    const chosen = pick === undefined ? undefined : titles[pick];
    if (chosen) {
      copy.title = chosen.title;
      const newSlug = slugify(chosen.title);
      const oldSlug = stringField(post.src.data, 'slug');
      if (request.title.rename) {
        const { slug, name } = freeRename(post.path, oldSlug ?? slugify(title), newSlug);
        if (oldSlug !== undefined && oldSlug !== slug) frontMatter.slug = slug;
        if (name !== basename(post.path)) {
          renameTo = name;
          record.rename = { from: basename(post.path), to: name };
        }
      }
      log.add('editor', author, 'title-chosen', {
        title: chosen.title,
        from: title,
        of: titles.length,
        rank: pick! + 1,
        renamedTo: renameTo,
      });
      record.title = { from: title, to: chosen.title };
      summary.push(`title “${title}” → “${chosen.title}”${renameTo ? `, file renamed to ${renameTo}` : ''}`);
    }
  }
  if (copy.title !== undefined && copy.title !== title && (post.src.data.title !== undefined || !post.structure.title)) {
    frontMatter.title = copy.title;
  }

  const usage = usageOf(meter, provider, options.prices);
  if (meter.byModel.size > 0) log.add('tool', undefined, 'models-used', { models: modelUse(meter.byModel, options.prices) });
  const body = copy.renderBody();
  // Every figure of the revised post, traced against its sources (or the brief alone, when it has none).
  const figures = await traceBody(body, {
    firstBodyLine: 1,
    brief: (post.state?.brief ?? {}) as Partial<Brief>,
    sources: options.sources?.context.sources ?? [],
  });
  if (options.sources) {
    log.add('tool', undefined, 'figures-checked', {
      total: figures.total,
      untraced: figures.untraced.length,
      sources: options.sources.records.length,
    });
  }
  // Only the post's own text counts: log and notes alone are not worth a new version.
  const changed = body !== post.src.body || Object.keys(frontMatter).length > 0 || renameTo !== undefined;
  const { text, sidecarState, parts } = renderRevision(
    copy,
    body,
    { ...frontMatter },
    log,
    usage,
    provider,
    options.sources?.records,
    options.site,
  );
  // Whatever each step did, a reference that resolved before must still resolve.
  const after = parts ?? parseSource(text, post.label);
  await assertReferencesResolve(post, text, after);
  return {
    post,
    text,
    ...(sidecarState !== undefined ? { sidecarState } : {}),
    changed,
    ...(renameTo ? { renameTo } : {}),
    record,
    summary,
    usage,
    ...(titles ? { titles } : {}),
    ...(coverage ? { coverage } : {}),
    // Traced on the body alone: its lines move down by the new front matter's.
    figures: shiftLines(figures, linesBefore(text, after.body)),
  };
}

/** `2024-01-05-old-slug.md` → `2024-01-05-new-slug.md`; a name without the slug becomes the new slug. */
export function renamedFileName(path: string, oldSlug: string, newSlug: string): string {
  const ext = extname(path) || '.md';
  const stem = basename(path, extname(path));
  const base = stem.endsWith(oldSlug) && oldSlug !== '' ? stem.slice(0, stem.length - oldSlug.length) + newSlug : newSlug;
  return base + ext;
}

/**
 * `--rename` to a new slug. Another post may already have this slug: take the next free one, so the
 * file name and the slug (the URL) agree and never collide. writeNewFile still refuses to overwrite on a race.
 */
function freeRename(path: string, oldSlug: string, newSlug: string): { slug: string; name: string } {
  let slug = newSlug;
  const nameFor = (candidate: string) => renamedFileName(path, oldSlug, candidate);
  for (let n = 2; nameFor(slug) !== basename(path) && existsSync(join(dirname(path), nameFor(slug))); n++) {
    slug = `${newSlug}-${n}`;
  }
  return { slug, name: nameFor(slug) };
}

function partName(heading: string | null): string {
  return heading === null ? 'the introduction' : `“${heading}”`;
}

function describeParts(headings: readonly string[], introduction: boolean): string {
  const names = [...(introduction ? ['the introduction'] : []), ...headings.map((h) => `“${h}”`)];
  return names.join(', ');
}

function describeSeo(seo: Awaited<ReturnType<typeof improveSeo>>, before: string | undefined): string {
  const parts: string[] = [];
  if (seo.description.to !== before) parts.push(`description (${seo.description.to.length} characters)`);
  if (seo.title) parts.push(`title “${seo.title}”`);
  if (seo.headings.length) parts.push(`${seo.headings.length} heading${seo.headings.length === 1 ? '' : 's'}`);
  if (seo.introduction) parts.push('introduction');
  return parts.length ? `SEO: ${parts.join(', ')}` : 'SEO: nothing needed changing';
}
