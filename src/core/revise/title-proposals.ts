import * as z from 'zod';
import { callForChecked, type UsageMeter } from '../drafting/model-call.js';
import { renderTemplate, type Template } from '../templates/template.js';
import { replySchema } from '../provider/strict-schema.js';
import type { ChatProvider } from '../provider/types.js';
import { parseJsonReply } from '../validation.js';
import { plainLine, TEXT_LIMITS, type TextCleaning } from '../model-text.js';
import type { Guidance } from './guidance.js';

export interface TitleProposal {
  title: string;
  rationale: string;
}

const ProposalsSchema = z.object({
  titles: z
    .array(
      z.object({
        title: z.string().trim().min(1).max(TEXT_LIMITS.title),
        rationale: z.string().trim().default(''),
      }),
    )
    .min(1),
});

export const TITLES_JSON_SCHEMA = replySchema('title_proposals', ProposalsSchema);

/**
 * Title proposals need the whole post (a title sums it up), so this is one of the few requests that
 * sends it. Structured output; an unusable reply is retried once with the reason, then fails.
 */
export async function proposeTitles(options: {
  post: string;
  count: number;
  guidance: Guidance;
  keywords: readonly string[];
  template: Template;
  provider: ChatProvider;
  meter: UsageMeter;
  signal?: AbortSignal;
  maxTokens?: number;
  /** Told which proposals had to be cleaned to one line of plain text. */
  onCleaned?: (cleaned: TextCleaning[]) => void;
}): Promise<TitleProposal[]> {
  let cleaned: TextCleaning[] = [];
  const proposals = await callForChecked<TitleProposal[]>(
    options.provider,
    {
      purpose: 'the title proposals',
      render: (validationError) =>
        renderTemplate(options.template, {
          ...options.guidance,
          count: options.count,
          keywords: options.keywords.join(', '),
          post: options.post,
          validationError,
        }),
      json: TITLES_JSON_SCHEMA,
      signal: options.signal,
      maxTokens: options.maxTokens,
      check: (reply) => {
        const parsed = parseProposals(reply, options.guidance.title);
        if (!parsed.proposals) return { problem: parsed.problem };
        cleaned = parsed.cleaned.filter((c) => Number(/\d+/.exec(c.field)?.[0]) < options.count);
        return { value: parsed.proposals.slice(0, options.count) };
      },
      unusable: "the model's title proposals were unusable twice",
    },
    options.meter,
  );
  if (cleaned.length > 0) options.onCleaned?.(cleaned);
  return proposals;
}

export function parseProposals(
  reply: string,
  currentTitle: string,
): { proposals: TitleProposal[]; cleaned: TextCleaning[]; problem?: undefined } | { proposals?: undefined; problem: string } {
  const parsed = parseJsonReply(reply, ProposalsSchema);
  if ('problem' in parsed) return parsed;
  const seen = new Set<string>([currentTitle.toLowerCase()]);
  const proposals: TitleProposal[] = [];
  const cleanings: TextCleaning[] = [];
  for (const p of parsed.value.titles) {
    // One line of plain text each: a title with a line break or markup would break the front matter
    // and the H1 (model text is data, never structure).
    const cleaned = plainLine(p.title, TEXT_LIMITS.title);
    const title = cleaned.text.replace(/^["“]|["”]$/g, '').trim();
    if (!title || seen.has(title.toLowerCase())) continue;
    seen.add(title.toLowerCase());
    if (cleaned.changes.length > 0) cleanings.push({ field: `titles[${proposals.length}]`, changes: cleaned.changes });
    proposals.push({ title, rationale: plainLine(p.rationale, 1000).text });
  }
  return proposals.length > 0 ? { proposals, cleaned: cleanings } : { problem: 'no title differed from the current one' };
}
