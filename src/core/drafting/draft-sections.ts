import type { Brief } from '../brief.js';
import type { Template, TemplateVars } from '../prompts/template.js';
import { renderTemplate } from '../prompts/template.js';
import type { ChatProvider } from '../provider/types.js';
import { callForText, type UsageMeter } from './model-call.js';
import { assignLinks, DEFAULT_WORDS, type Outline } from './outline.js';
import { cleanSectionReply } from './section-reply.js';

export interface DraftedPart {
  /** null for the introduction. */
  heading: string | null;
  markdown: string;
}

export interface SectionEvents {
  onStart?(index: number, heading: string | null): void;
  onDone?(index: number, heading: string | null): void;
}

export function outlineAsText(outline: Outline): string {
  const lines = [`Introduction (no heading): ${outline.intro}`];
  outline.sections.forEach((s, i) => lines.push(`${i + 1}. ${s.heading}: ${s.points}`));
  return lines.join('\n');
}

/**
 * The section template's variables for one part of the post: the introduction (heading null) or a
 * section. `draftSections` renders the real ones; `planDraft` renders a typical one to estimate.
 */
export function sectionTemplateVars(
  brief: Brief,
  part: { title: string; outline: string; heading: string | null; points: string; words: number; links: Brief['links'] },
): TemplateVars {
  const { heading } = part;
  return {
    title: part.title,
    topic: brief.topic,
    direction: brief.direction,
    audience: brief.audience,
    tone: brief.tone,
    keywords: brief.keywords.join(', '),
    outline: part.outline,
    part: heading ? `the section "${heading}"` : 'the introduction',
    heading,
    points: part.points,
    words: part.words,
    links: part.links.map((l) => `- [${l.title}](${l.url})`).join('\n'),
  };
}

/**
 * The introduction and every section, each in its own call given the brief and the whole outline
 * (so parts do not repeat each other). All calls are started at once; the provider's concurrency
 * limit decides how many are in flight, so a draft costs about two round trips, not one per section.
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
}): Promise<DraftedPart[]> {
  const { brief, outline } = options;
  const parts = [{ heading: null as string | null, points: outline.intro }, ...outline.sections];
  const linksFor = assignLinks(outline, brief.links);
  const totalWords = brief.words ?? DEFAULT_WORDS;
  // The introduction is shorter than a body section.
  const perSection = Math.max(60, Math.round(totalWords / (outline.sections.length + 0.5)));
  const outlineText = outlineAsText(outline);

  const drafts = parts.map(async (part, index): Promise<DraftedPart> => {
    const heading = part.heading;
    const links = index === 0 ? [] : (linksFor.get(index - 1) ?? []);
    const messages = renderTemplate(
      options.template,
      sectionTemplateVars(brief, {
        title: outline.title,
        outline: outlineText,
        heading,
        points: part.points,
        words: heading ? perSection : Math.max(50, Math.round(perSection / 2)),
        links,
      }),
    );
    options.events?.onStart?.(index, heading);
    const purpose = heading ? `section ${index}: “${heading}”` : 'the introduction';
    const result = await callForText(
      options.provider,
      { purpose, messages, signal: options.signal, maxTokens: options.maxTokens },
      options.meter,
    );
    options.events?.onDone?.(index, heading);
    return { heading, markdown: cleanSectionReply(result.text, heading, outline.title) };
  });
  return Promise.all(drafts);
}
