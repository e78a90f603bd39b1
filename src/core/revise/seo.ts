import * as z from 'zod';
import type { CollaborationLog } from '../collab/log.js';
import { DESCRIPTION_LIMIT } from '../defaults.js';
import { fitDescription } from '../drafting/generate-draft.js';
import { keywordCoverage, type KeywordCoverage } from '../drafting/keywords.js';
import { callForChecked, type UsageMeter } from '../drafting/model-call.js';
import { normalizeHeading } from '../document/section-names.js';
import { renderTemplate, type Template } from '../templates/template.js';
import { replySchema } from '../provider/strict-schema.js';
import type { ChatProvider } from '../provider/types.js';
import { parseJsonReply } from '../validation.js';
import { cleaningDetails, TEXT_LIMITS, TextCleaner } from '../model-text.js';
import { ProviderError } from '../errors.js';
import type { Guidance } from './guidance.js';
import { checkPartReply } from './reply-check.js';
import type { WorkingCopy } from './working-copy.js';

/**
 * The limits in `.meta` bound the local engine's grammar only, so a small model cannot ramble past
 * its token budget into truncated JSON; zod does not reject a longer reply from a hosted model
 * (the description is cut to fit afterwards).
 */
const SeoReplySchema = z.object({
  description: z.string().trim().min(1).meta({ maxLength: DESCRIPTION_LIMIT }),
  title: z.string().trim().default('').meta({ maxLength: TEXT_LIMITS.title }),
  // Unbounded: it replaces the whole lead, which a grammar limit would cut mid-sentence.
  introduction: z.string().default(''),
  headings: z
    .array(
      z.object({
        from: z.string().meta({ maxLength: TEXT_LIMITS.heading }),
        to: z.string().meta({ maxLength: TEXT_LIMITS.heading }),
      }),
    )
    .default([])
    .meta({ maxItems: 12 }),
});

export const SEO_JSON_SCHEMA = replySchema('seo_revision', SeoReplySchema);

export interface SeoOutcome {
  description: { from?: string; to: string };
  /** Set when the model improved the title (and the caller allowed it). */
  title?: string;
  introduction: boolean;
  headings: { from: string; to: string }[];
}

export function coverageOf(copy: WorkingCopy, keywords: readonly string[], title: string, description: string): KeywordCoverage[] {
  const parts = copy.sections.map((s) => ({ heading: copy.heading(s), markdown: copy.content(s) }));
  for (const added of copy.inserted) parts.push({ heading: added.heading, markdown: added.content });
  return keywordCoverage(keywords, { title, description, parts });
}

/**
 * The SEO pass reads the whole post (placement is judged across it) but changes only the description,
 * the title, heading texts and the introduction; section bodies stay as they are.
 */
export async function improveSeo(options: {
  copy: WorkingCopy;
  title: string;
  description: string | undefined;
  keywords: readonly string[];
  allowTitle: boolean;
  guidance: Guidance;
  template: Template;
  provider: ChatProvider;
  meter: UsageMeter;
  log: CollaborationLog;
  signal?: AbortSignal;
  maxTokens?: number;
}): Promise<SeoOutcome> {
  const { copy } = options;
  const lead = copy.sections.find((s) => s.heading === null);
  const headings = copy.sectionHeadings();
  const reply = await callForChecked(
    options.provider,
    {
      purpose: 'the SEO revision',
      render: (validationError) =>
        renderTemplate(options.template, {
          ...options.guidance,
          title: options.title,
          description: options.description ?? '(none)',
          keywords: options.keywords.join(', '),
          headings: headings.map((h) => `- ${h}`).join('\n') || '(none)',
          hasIntroduction: lead !== undefined,
          post: copy.markdown(),
          validationError,
        }),
      json: SEO_JSON_SCHEMA,
      signal: options.signal,
      maxTokens: options.maxTokens,
      check: (text) => parseJsonReply(text, SeoReplySchema),
      unusable: "the model's SEO revision was unusable twice",
    },
    options.meter,
  );

  // Model text is data: the description, title and headings are one line of plain text each.
  const cleaner = new TextCleaner();
  const description = cleaner.clean('description', reply.description, TEXT_LIMITS.description);
  if (!description) {
    throw new ProviderError('invalid-output', "the model's SEO description has no text once made one line of plain text", {
      hint: 'nothing was written; try again, or try another --model',
    });
  }
  const outcome: SeoOutcome = {
    description: { ...(options.description ? { from: options.description } : {}), to: fitDescription(description, options.log) },
    introduction: false,
    headings: [],
  };
  const title = cleaner.clean('title', reply.title, TEXT_LIMITS.title);
  if (options.allowTitle && title && title !== options.title) outcome.title = title;

  if (lead && reply.introduction.trim() && reply.introduction.trim() !== copy.content(lead)) {
    const intro = await checkPartReply(reply.introduction, {
      heading: null,
      sectionDepth: copy.post.structure.sectionDepth,
      otherHeadings: headings,
      title: options.title,
      label: 'the introduction (SEO revision)',
    });
    copy.setContent(lead, intro);
    outcome.introduction = true;
  }

  const taken = new Set(headings.map(normalizeHeading));
  for (const rename of reply.headings) {
    const section = copy.sections.find((s) => s.heading !== null && normalizeHeading(copy.heading(s)!) === normalizeHeading(rename.from));
    const to = cleaner.clean(`headings[${reply.headings.indexOf(rename)}].to`, rename.to, TEXT_LIMITS.heading);
    if (!section || !to || taken.has(normalizeHeading(to))) continue;
    const from = copy.heading(section)!;
    taken.delete(normalizeHeading(from));
    taken.add(normalizeHeading(to));
    copy.renameHeading(section, to);
    outcome.headings.push({ from, to });
  }
  if (cleaner.cleanings.length > 0) options.log.add('tool', undefined, 'model-text-cleaned', cleaningDetails(cleaner.cleanings));
  return outcome;
}
