import { z } from 'zod';
import { callForText, type UsageMeter } from '../drafting/model-call.js';
import { ProviderError } from '../errors.js';
import { extractJsonObject } from '../json-extract.js';
import { renderTemplate, type Template } from '../prompts/template.js';
import type { ChatProvider } from '../provider/types.js';
import { describeIssues } from '../validation.js';
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
  let validationError: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const messages = renderTemplate(options.template, {
      ...options.guidance,
      count: options.count,
      keywords: options.keywords.join(', '),
      post: options.post,
      validationError,
    });
    const result = await callForText(
      options.provider,
      { purpose: 'the title proposals', messages, json: TITLES_JSON_SCHEMA, signal: options.signal, maxTokens: options.maxTokens },
      options.meter,
    );
    const parsed = parseProposals(result.text, options.guidance.title);
    if (parsed.proposals) return parsed.proposals.slice(0, options.count);
    validationError = parsed.problem;
  }
  throw new ProviderError('invalid-output', `the model's title proposals were unusable twice: ${validationError}`, {
    hint: 'try again, or try a more capable --model',
  });
}

export function parseProposals(reply: string, currentTitle: string): { proposals?: TitleProposal[]; problem?: string } {
  const json = extractJsonObject(reply);
  if (json === undefined) return { problem: 'the reply contained no JSON object' };
  const result = ProposalsSchema.safeParse(json);
  if (!result.success) return { problem: describeIssues(result.error.issues).join('; ') };
  const seen = new Set<string>([currentTitle.toLowerCase()]);
  const proposals: TitleProposal[] = [];
  for (const p of result.data.titles) {
    // One line each: a title with a line break would break the front matter and the H1.
    const title = p.title.replace(/\s+/g, ' ').replace(/^["“]|["”]$/g, '').trim();
    if (!title || seen.has(title.toLowerCase())) continue;
    seen.add(title.toLowerCase());
    proposals.push({ title, rationale: p.rationale.replace(/\s+/g, ' ').trim() });
  }
  return proposals.length > 0 ? { proposals } : { problem: 'no title differed from the current one' };
}
