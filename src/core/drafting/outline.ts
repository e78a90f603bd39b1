import { languageVars } from '../style/language.js';
import * as z from 'zod';
import type { Brief } from '../brief.js';
import type { Template } from '../templates/render-template.js';
import { renderTemplate } from '../templates/render-template.js';
import { DEFAULT_SECTIONS, DEFAULT_WORDS, DESCRIPTION_LIMIT } from '../defaults.js';
import { replySchema } from '../provider/strict-schema.js';
import type { ChatProvider, JsonSchemaSpec } from '../provider/types.js';
import { parseJsonReply } from '../validation.js';
import { TEXT_LIMITS, TextCleaner, type TextCleaning } from '../model-text.js';
import { callForChecked, type UsageMeter } from './model-call.js';

const OutlineSectionSchema = z.object({
  heading: z.string().trim().min(1).max(TEXT_LIMITS.heading),
  points: z.string().trim().min(1),
  links: z.array(z.string()).default([]),
});

export const OutlineSchema = z.object({
  title: z.string().trim().min(1).max(TEXT_LIMITS.title),
  // Longer descriptions are fitted to the limit afterwards; only the local grammar is held to it (.meta).
  description: z.string().trim().min(1).meta({ maxLength: DESCRIPTION_LIMIT }),
  tags: z.array(z.string().trim().min(1)).default([]).meta({ maxItems: 6 }),
  intro: z.string().trim().min(1),
  sections: z.array(OutlineSectionSchema).min(1),
});

export type Outline = z.output<typeof OutlineSchema>;

/** The outline's shape for Structured Outputs (strict mode), generated from OutlineSchema. */
export const OUTLINE_JSON_SCHEMA = replySchema('post_outline', OutlineSchema);

/**
 * The outline schema for this brief. Hosted APIs get the strict form plus the exact section count
 * (small models ignore a count stated only in prose; a server that rejects minItems/maxItems falls
 * back to json_object, which still spells the schema out). Grammar-constrained local engines also
 * get every limit zod checks anyway, so even a tiny model's outline validates.
 */
export function outlineSchemaFor(brief: Brief): JsonSchemaSpec {
  const { name, schema, constrained } = OUTLINE_JSON_SCHEMA;
  const count = brief.sections ?? DEFAULT_SECTIONS;
  return {
    name,
    schema: brief.sections === undefined ? schema : withSectionCount(schema, brief.sections, brief.sections),
    constrained: withSectionCount(constrained, brief.sections ?? 1, brief.sections ?? Math.max(count, 12)),
  };
}

function withSectionCount(schema: Record<string, unknown>, minItems: number, maxItems: number): Record<string, unknown> {
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  return { ...schema, properties: { ...properties, sections: { ...properties.sections, minItems, maxItems } } };
}

export function outlineVars(
  brief: Brief,
  extra: { feedback?: string; validationError?: string; previous?: Outline; sources?: string } = {},
) {
  return {
    topic: brief.topic,
    direction: brief.direction,
    audience: brief.audience,
    tone: brief.tone,
    ...languageVars(brief.language),
    workingTitle: brief.title,
    keepTitle: brief.keepTitle ?? false,
    words: brief.words ?? DEFAULT_WORDS,
    sections: brief.sections ?? DEFAULT_SECTIONS,
    keywords: brief.keywords.join(', '),
    links: brief.links.map((l) => `- ${l.title}: ${l.url}`).join('\n'),
    feedback: extra.feedback,
    // Regenerating revises the outline the editor saw: without it the feedback ("drop section 3") has nothing to apply to.
    previousOutline: extra.previous ? JSON.stringify(extra.previous, null, 2) : undefined,
    validationError: extra.validationError,
    sources: extra.sources,
  };
}

/** Parse and validate a reply; returns the problem in words when it does not fit. */
export function parseOutline(
  reply: string,
  brief: Brief,
  options: { acceptCount?: boolean } = {},
): { outline: Outline; cleaned: TextCleaning[]; problem?: undefined } | { outline?: undefined; problem: string } {
  const parsed = parseJsonReply(reply, OutlineSchema);
  if ('problem' in parsed) return parsed;
  const { outline, cleaned } = cleanOutlineText(parsed.value);
  const empty = cleaned.find((c) => fieldValue(outline, c.field) === '');
  if (empty) return { problem: `${empty.field} has no text once made one line of plain text` };
  if (brief.sections !== undefined && outline.sections.length !== brief.sections && !options.acceptCount) {
    return { problem: `expected ${brief.sections} sections, got ${outline.sections.length}` };
  }
  if (new Set(outline.sections.map((s) => s.heading.toLowerCase())).size !== outline.sections.length) {
    return { problem: 'two sections have the same heading' };
  }
  return { outline: brief.keepTitle && brief.title ? { ...outline, title: brief.title } : outline, cleaned };
}

/**
 * The strings that land on one line of the file (title, description, tags, headings) become one line
 * of plain text: a heading with line breaks would otherwise start headings, rules and front-matter
 * keys of its own. Tags also lose a leading `#` and duplicates.
 */
export function cleanOutlineText(outline: Outline): { outline: Outline; cleaned: TextCleaning[] } {
  const cleaner = new TextCleaner();
  const tags: string[] = [];
  outline.tags.forEach((tag, i) => {
    const clean = cleaner.clean(`tags[${i}]`, tag.replace(/^#+(?=\S)/, ''), TEXT_LIMITS.tag);
    if (clean && !tags.some((t) => t.toLowerCase() === clean.toLowerCase())) tags.push(clean);
  });
  return {
    outline: {
      ...outline,
      title: cleaner.clean('title', outline.title, TEXT_LIMITS.title),
      description: cleaner.clean('description', outline.description, TEXT_LIMITS.description),
      tags,
      sections: outline.sections.map((s, i) => ({
        ...s,
        heading: cleaner.clean(`sections[${i}].heading`, s.heading, TEXT_LIMITS.heading),
      })),
    },
    cleaned: cleaner.cleanings,
  };
}

function fieldValue(outline: Outline, field: string): string | undefined {
  if (field === 'title' || field === 'description') return outline[field];
  const section = /^sections\[(\d+)\]\.heading$/.exec(field);
  return section ? outline.sections[Number(section[1])]?.heading : undefined;
}

/**
 * One structured call (the provider picks json_schema, json_object or a plain prompt, whichever
 * the server accepts). Invalid output is retried once with the validation error, then fails clearly.
 */
export async function generateOutline(options: {
  provider: ChatProvider;
  template: Template;
  brief: Brief;
  meter: UsageMeter;
  signal?: AbortSignal;
  feedback?: string;
  /** The outline the editor asked to regenerate; sent with the feedback. */
  previous?: Outline;
  /** A short digest of each source the editor gave (SourceContext.digest). */
  sourceDigest?: string;
  maxTokens?: number;
  /** Told which fields of the accepted outline had to be cleaned to one line of plain text. */
  onCleaned?: (cleaned: TextCleaning[]) => void;
  /** A wrong section count after the retry fails the call, as before (`--strict-outline`). */
  strict?: boolean;
  /** Told when the model kept proposing another number of sections than the brief asked for. */
  onCountDiffers?: (counts: { expected: number; got: number }) => void;
}): Promise<Outline> {
  const { provider, template, brief, meter } = options;
  let cleaned: TextCleaning[] = [];
  let replies = 0;
  const outline = await callForChecked<Outline>(
    provider,
    {
      purpose: 'the outline',
      render: (validationError) =>
        renderTemplate(
          template,
          outlineVars(brief, { feedback: options.feedback, previous: options.previous, validationError, sources: options.sourceDigest }),
        ),
      json: outlineSchemaFor(brief),
      signal: options.signal,
      maxTokens: options.maxTokens,
      check: (reply) => {
        // The first wrong count is sent back with the problem; after that a usable outline with
        // another count is better than a failed, paid-for run (the editor sees it, or is told).
        const parsed = parseOutline(reply, brief, { acceptCount: replies++ > 0 && !options.strict });
        if (!parsed.outline) return { problem: parsed.problem };
        cleaned = parsed.cleaned;
        return { value: parsed.outline };
      },
      unusable: "the model's outline was unusable twice",
    },
    meter,
  );
  if (cleaned.length > 0) options.onCleaned?.(cleaned);
  if (brief.sections !== undefined && outline.sections.length !== brief.sections) {
    options.onCountDiffers?.({ expected: brief.sections, got: outline.sections.length });
  }
  return outline;
}

/** Where each link is cited: the section the model chose, else the one whose words overlap most. */
export function assignLinks(outline: Outline, links: Brief['links']): Map<number, Brief['links']> {
  const byIndex = new Map<number, Brief['links']>();
  for (const link of links) {
    let index = outline.sections.findIndex((s) => s.links.includes(link.url));
    if (index === -1)
      index = mostRelevantSection(
        outline.sections.map((s) => `${s.heading} ${s.points}`),
        link.title,
      );
    byIndex.set(index, [...(byIndex.get(index) ?? []), link]);
  }
  return byIndex;
}

const words = (s: string) => new Set(s.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []);

/** Index of the text sharing most words with `query`; the first on ties (so 0 when nothing matches). */
export function mostRelevantSection(texts: string[], query: string): number {
  const q = words(query);
  let best = 0;
  let bestScore = -1;
  texts.forEach((text, i) => {
    const w = words(text);
    let score = 0;
    for (const x of q) if (w.has(x)) score++;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}
