import { languageVars } from '../style/language.js';
import type { Brief } from '../brief.js';
import { InterruptedError, ProviderError } from '../errors.js';
import type { Template, TemplateVars } from '../templates/render-template.js';
import { renderTemplate } from '../templates/render-template.js';
import type { ChatProvider } from '../provider/types.js';
import { callForText, type UsageMeter } from './model-call.js';
import { DEFAULT_WORDS } from '../defaults.js';
import { sharedSignal } from '../shared-signal.js';
import { assignLinks, type Outline } from './outline.js';
import { resolveCitations, type CitationStyle } from '../sources/citations.js';
import type { Excerpts, SourceContext } from '../sources/source-context.js';
import { cleanSectionReply } from './section-reply.js';

export interface DraftedPart {
  /** null for the introduction. */
  heading: string | null;
  markdown: string;
  /** With sources: what this part was shown, which sources it cites, and citation numbers that matched no excerpt. */
  grounding?: { excerpts: Excerpts; cited: number[]; unknownCitations: number[] };
}

export interface SectionEvents {
  onStart?(index: number, heading: string | null): void;
  onDone?(index: number, heading: string | null): void;
}

export function outlineAsText(outline: Outline): string {
  const lines = [`Introduction (no heading): ${outline.intro}`];
  for (const [i, s] of outline.sections.entries()) lines.push(`${i + 1}. ${s.heading}: ${s.points}`);
  return lines.join('\n');
}

/**
 * The section template's variables for one part of the post: the introduction (heading null) or a
 * section. `draftSections` renders the real ones; `estimateRequests` renders a typical one to estimate.
 */
export function sectionTemplateVars(
  brief: Brief,
  part: { title: string; outline: string; heading: string | null; points: string; words: number; links: Brief['links']; excerpts?: string },
): TemplateVars {
  const { heading } = part;
  return {
    title: part.title,
    topic: brief.topic,
    direction: brief.direction,
    audience: brief.audience,
    tone: brief.tone,
    ...languageVars(brief.language),
    keywords: brief.keywords.join(', '),
    outline: part.outline,
    part: heading ? `the section "${heading}"` : 'the introduction',
    heading,
    points: part.points,
    words: part.words,
    links: part.links.map((l) => `- [${l.title}](${l.url})`).join('\n'),
    excerpts: part.excerpts,
    figureProblem: undefined,
  };
}

/** Problems with one reply that asking once more may fix; anything else fails the draft at once. */
const WORTH_ANOTHER_TRY = new Set(['length', 'empty', 'invalid-output']);

/**
 * The introduction and every section, each in its own call given the brief and the whole outline
 * (so parts do not repeat each other). All calls are started at once; the provider's concurrency
 * limit decides how many are in flight, so a draft costs about two round trips, not one per section.
 *
 * A part whose reply is unusable (empty, cut off, far too long) is asked for once more. If it fails
 * again the draft has failed, so every call still in flight or waiting is aborted at once: nothing
 * more is paid for a draft that will not be written.
 */
export async function draftSections(options: {
  provider: ChatProvider;
  template: Template;
  brief: Brief;
  outline: Outline;
  meter: UsageMeter;
  signal?: AbortSignal;
  maxTokens?: number;
  events?: SectionEvents;
  /** The editor's sources: each part gets its most relevant excerpts, and its citations become links. */
  sources?: SourceContext;
  citations?: CitationStyle;
  /** Draft only these parts (0 is the introduction), in this order; the result follows it. */
  only?: number[];
  /** Figures a part's earlier draft could not trace, to source from its excerpts or remove. */
  figureProblems?: Map<number, string[]>;
}): Promise<DraftedPart[]> {
  const { brief, outline } = options;
  const parts = [{ heading: null as string | null, points: outline.intro }, ...outline.sections];
  const linksFor = assignLinks(outline, brief.links);
  const totalWords = brief.words ?? DEFAULT_WORDS;
  // The introduction is shorter than a body section.
  const perSection = Math.max(60, Math.round(totalWords / (outline.sections.length + 0.5)));
  const outlineText = outlineAsText(outline);
  const calls = new AbortController();
  const signal = sharedSignal(options.signal ? AbortSignal.any([options.signal, calls.signal]) : calls.signal);
  let failure: unknown;

  const indices = options.only ?? parts.map((_, i) => i);
  const drafts = indices.map(async (index): Promise<DraftedPart> => {
    const part = parts[index]!;
    const heading = part.heading;
    const links = index === 0 ? [] : (linksFor.get(index - 1) ?? []);
    const words = heading ? perSection : Math.max(50, Math.round(perSection / 2));
    const excerpts =
      options.sources && !options.sources.empty
        ? options.sources.excerptsFor(`${heading ?? outline.title} ${part.points} ${brief.topic}`)
        : undefined;
    const messages = renderTemplate(options.template, {
      ...sectionTemplateVars(brief, {
        title: outline.title,
        outline: outlineText,
        heading,
        points: part.points,
        words,
        links,
        excerpts: excerpts?.text || undefined,
      }),
      figureProblem: options.figureProblems?.get(index)?.join('; '),
    });
    options.events?.onStart?.(index, heading);
    const purpose = heading ? `section ${index}: “${heading}”` : 'the introduction';
    const request = { purpose, messages, signal, maxTokens: options.maxTokens, targetWords: words };
    try {
      let markdown: string;
      try {
        markdown = await draftPart(options.provider, request, options.meter, heading, outline.title);
      } catch (error) {
        if (!(error instanceof ProviderError) || !WORTH_ANOTHER_TRY.has(error.kind)) throw error;
        markdown = await draftPart(options.provider, request, options.meter, heading, outline.title);
      }
      options.events?.onDone?.(index, heading);
      if (!excerpts) return { heading, markdown };
      const cited = resolveCitations(markdown, excerpts.map, options.citations ?? 'links');
      return { heading, markdown: cited.text, grounding: { excerpts, cited: cited.cited, unknownCitations: cited.unknown } };
    } catch (error) {
      // The first real failure is the draft's; the others are only the aborts it caused.
      if (failure === undefined && !(error instanceof InterruptedError && !options.signal?.aborted)) {
        failure = error;
        calls.abort();
      }
      throw error;
    }
  });
  const settled = await Promise.allSettled(drafts);
  if (failure !== undefined) throw failure;
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<DraftedPart>).value);
}

async function draftPart(
  provider: ChatProvider,
  request: Parameters<typeof callForText>[1],
  meter: UsageMeter,
  heading: string | null,
  title: string,
): Promise<string> {
  const result = await callForText(provider, request, meter);
  const markdown = cleanSectionReply(result.text, heading, title);
  if (markdown.trim() === '') {
    throw new ProviderError('empty', `the model's reply for ${request.purpose} had no text besides its heading`, {
      hint: 'try again, or try another --model',
    });
  }
  return markdown;
}
