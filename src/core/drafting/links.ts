import type { BriefLink } from '../brief.js';
import type { CollaborationLog } from '../collab/log.js';
import { countWords, linkTargets, parseShared } from '../markdown.js';
import type { Template } from '../templates/render-template.js';
import { renderTemplate } from '../templates/render-template.js';
import type { ChatProvider, ChatRequest } from '../provider/types.js';
import { ProviderError } from '../errors.js';
import type { DraftedPart } from './draft-sections.js';
import { callForText, type UsageMeter } from './model-call.js';
import { mostRelevantSection } from './outline.js';
import { cleanSectionReply } from './section-reply.js';
import { markdownInline } from '../model-text.js';

export async function hasMarkdownLink(markdown: string, url: string): Promise<boolean> {
  return linkTargets(await parseShared(markdown)).has(url);
}

export async function missingLinks(parts: readonly DraftedPart[], links: readonly BriefLink[]): Promise<BriefLink[]> {
  const present = new Set<string>();
  for (const part of parts) for (const url of linkTargets(await parseShared(part.markdown))) present.add(url);
  return links.filter((l) => !present.has(l.url));
}

/** draft's own sentence: the brief's title goes in as literal text, never as markup or MDX. */
export function fallbackLinkSentence(link: BriefLink): string {
  const title = markdownInline(link.title);
  return `For more on ${title}, see our earlier post: [${title}](${link.url}).`;
}

/**
 * Every brief link must end up in the body as a Markdown link. A link the model left out is
 * repaired: the most relevant section is revised to work it in, and if the revision still lacks
 * it, a sentence citing it is added. Each repair is logged, so the notes say so.
 */
export async function ensureLinks(options: {
  provider: ChatProvider;
  template: Template;
  title: string;
  parts: DraftedPart[];
  links: readonly BriefLink[];
  meter: UsageMeter;
  log: CollaborationLog;
  signal?: AbortSignal;
}): Promise<DraftedPart[]> {
  const parts = [...options.parts];
  const model = options.provider.info.model;
  for (const link of await missingLinks(parts, options.links)) {
    // Prefer a body section; the introduction only when the post has nothing else.
    const candidates = parts.length > 1 ? parts.slice(1) : parts;
    const offset = parts.length > 1 ? 1 : 0;
    const index =
      offset +
      mostRelevantSection(
        candidates.map((p) => `${p.heading ?? ''} ${p.markdown}`),
        link.title,
      );
    const part = parts[index]!;
    const messages = renderTemplate(options.template, linkTemplateVars(options.title, part, link));
    const revised = await repairReply(options, part, {
      purpose: `the link to ${link.url}`,
      messages,
      signal: options.signal,
      // The section again with the link worked in: about its length, so a runaway reply is cut (and
      // paid for) at that, not at the model's whole budget.
      targetWords: Math.max(MIN_REPAIR_WORDS, await countWords(part.markdown)),
    });
    if (revised !== undefined && (await hasMarkdownLink(revised, link.url))) {
      parts[index] = { ...part, markdown: revised };
      options.log.add('ai', model, 'link-repaired', { ...link, section: part.heading, method: 'revised' });
    } else {
      parts[index] = { ...part, markdown: `${part.markdown.trimEnd()}\n\n${fallbackLinkSentence(link)}` };
      options.log.add('tool', undefined, 'link-repaired', { ...link, section: part.heading, method: 'inserted' });
    }
  }
  return parts;
}

const MIN_REPAIR_WORDS = 60;

/**
 * The section as the model revised it, or undefined when its reply was cut off, far too long or
 * empty: the sentence citing the link does the job then, and the draft is not lost over it.
 */
async function repairReply(
  options: { provider: ChatProvider; meter: UsageMeter; title: string },
  part: DraftedPart,
  request: ChatRequest,
): Promise<string | undefined> {
  try {
    const result = await callForText(options.provider, request, options.meter);
    return cleanSectionReply(result.text, part.heading, options.title);
  } catch (error) {
    if (error instanceof ProviderError && (error.kind === 'length' || error.kind === 'empty')) return undefined;
    throw error;
  }
}

/** The link template's variables; also rendered before any request, so a broken template costs nothing. */
export function linkTemplateVars(title: string, part: { heading: string | null; markdown: string }, link: BriefLink) {
  return { title, heading: part.heading, text: part.markdown, linkTitle: link.title, url: link.url };
}
