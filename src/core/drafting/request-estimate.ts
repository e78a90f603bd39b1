import type { Brief } from '../brief.js';
import { renderTemplate } from '../templates/render-template.js';
import type { ChatMessage } from '../provider/types.js';
import type { TokenCounter } from '../tokens.js';
import { sectionTemplateVars } from './draft-sections.js';
import type { DraftTemplates } from './generate-draft.js';
import { DEFAULT_SECTIONS, DEFAULT_WORDS } from '../defaults.js';
import { outlineVars } from './outline.js';

export interface EstimatedRequest {
  purpose: string;
  /** Present where the request is fully known before any reply (the outline). */
  messages?: ChatMessage[];
  inputTokens: number;
  outputTokens: number;
}

export interface RequestEstimate {
  requests: EstimatedRequest[];
  inputTokens: number;
  outputTokens: number;
}

/**
 * What `draft new` would send, without sending it. The outline request is exact; the section
 * requests depend on the outline, so they are estimated from the section template and the brief.
 */
export function estimateRequests(brief: Brief, templates: DraftTemplates, tokens: TokenCounter): RequestEstimate {
  const sections = brief.sections ?? DEFAULT_SECTIONS;
  const words = brief.words ?? DEFAULT_WORDS;
  const outlineMessages = renderTemplate(templates.outline, outlineVars(brief));
  const requests: EstimatedRequest[] = [
    {
      purpose: 'the outline',
      messages: outlineMessages,
      inputTokens: tokens.countMessages(outlineMessages),
      outputTokens: 60 + sections * 45,
    },
  ];
  // An outline line per section, as the section prompt quotes it.
  const outlineText = Array.from({ length: sections + 1 }, () => 'x '.repeat(30)).join('\n');
  const sample = renderTemplate(
    templates.section,
    sectionTemplateVars(brief, {
      title: brief.title ?? brief.topic,
      outline: outlineText,
      heading: 'A typical section heading',
      points: 'x '.repeat(30),
      words: Math.round(words / sections),
      links: [],
    }),
  );
  const sectionInput = tokens.countMessages(sample);
  // English prose runs at about 1.35 tokens a word.
  const perSectionOutput = Math.round((words / (sections + 0.5)) * 1.35);
  requests.push({ purpose: 'the introduction', inputTokens: sectionInput, outputTokens: Math.round(perSectionOutput / 2) });
  for (let i = 1; i <= sections; i++) {
    requests.push({ purpose: `section ${i} of ${sections}`, inputTokens: sectionInput, outputTokens: perSectionOutput });
  }
  return {
    requests,
    inputTokens: requests.reduce((n, r) => n + r.inputTokens, 0),
    outputTokens: requests.reduce((n, r) => n + r.outputTokens, 0),
  };
}
