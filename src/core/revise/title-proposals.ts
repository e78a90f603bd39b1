import { z } from 'zod';
import { callForChecked, type UsageMeter } from '../drafting/model-call.js';
import { renderTemplate, type Template } from '../prompts/template.js';
import type { ChatProvider } from '../provider/types.js';
import { parseJsonReply } from '../validation.js';
import type { Guidance } from './guidance.js';

export const DEFAULT_TITLE_COUNT = 5;

export interface TitleProposal {
  title: string;
  rationale: string;
}

const ProposalsSchema = z.object({
  titles: z
    .array(
      z.object({
        title: z.string().trim().min(1).max(200),
        rationale: z.string().trim().default(''),
      }),
    )
    .min(1),
});

const TITLES_JSON_SCHEMA = {
  name: 'title_proposals',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['titles'],
    properties: {
      titles: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['title', 'rationale'],
          properties: { title: { type: 'string' }, rationale: { type: 'string' } },
        },
      },
    },
  },
} as const;

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
}): Promise<TitleProposal[]> {
  return callForChecked<TitleProposal[]>(
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
        return parsed.proposals ? { value: parsed.proposals.slice(0, options.count) } : { problem: parsed.problem };
      },
      unusable: "the model's title proposals were unusable twice",
    },
    options.meter,
  );
}

export function parseProposals(
  reply: string,
  currentTitle: string,
): { proposals: TitleProposal[]; problem?: undefined } | { proposals?: undefined; problem: string } {
  const parsed = parseJsonReply(reply, ProposalsSchema);
  if ('problem' in parsed) return parsed;
  const seen = new Set<string>([currentTitle.toLowerCase()]);
  const proposals: TitleProposal[] = [];
  for (const p of parsed.value.titles) {
    // One line each: a title with a line break would break the front matter and the H1.
    const title = p.title.replace(/\s+/g, ' ').replace(/^["“]|["”]$/g, '').trim();
    if (!title || seen.has(title.toLowerCase())) continue;
    seen.add(title.toLowerCase());
    proposals.push({ title, rationale: p.rationale.replace(/\s+/g, ' ').trim() });
  }
  return proposals.length > 0 ? { proposals } : { problem: 'no title differed from the current one' };
}
