import type { LogEntry } from '../collab/log.js';

/**
 * The W3C AI Content Disclosure community group's values for `<meta name="ai-disclosure">`, each
 * with the IPTC digitalSourceType a page's structured data would carry for it.
 */
export const AI_DISCLOSURE_SOURCE_TYPES = {
  'human-only': 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation',
  'ai-autonomous': 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
  // The text is the model's; a human directing and editing it is still IPTC's trained algorithmic media.
  'ai-assisted': 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
  mixed: 'http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia',
} as const;
export type AiDisclosureMode = keyof typeof AI_DISCLOSURE_SOURCE_TYPES;

export const DEFAULT_DISCLOSURE_KEY = 'ai_disclosure';

export interface AiDisclosure {
  mode: AiDisclosureMode;
  /** Every model that wrote any of the text, in the order they first did. */
  models: string[];
  digital_source_type: string;
}

/** The editor's events that are not a change to the text (they say what happened to it). */
const NOT_EDITS = new Set(['published', 'outline-accepted']);

/**
 * What the log says about who wrote the post:
 * - a hand-written post (its first revision logs `hand-written`) the model never wrote into: human-only;
 * - a hand-written post the model then revised: mixed;
 * - drafted by `draft new` and accepted as drafted (no outline edits, no hand edits, no editor
 *   request after the model wrote): ai-autonomous;
 * - drafted by `draft new` and then steered or edited (an edited or regenerated outline, a hand edit,
 *   any `draft revise` request): ai-assisted.
 */
export function disclosureOf(log: readonly LogEntry[]): AiDisclosure {
  const models = [...new Set(log.filter((e) => e.actor === 'ai' && e.name).map((e) => e.name!))];
  const wroteAt = log.findIndex((e) => e.actor === 'ai');
  const handWritten = log.some((e) => e.action === 'hand-written');
  let mode: AiDisclosureMode;
  if (handWritten) mode = wroteAt === -1 ? 'human-only' : 'mixed';
  else if (wroteAt === -1) mode = 'human-only';
  else {
    const steered = log.some(
      (e, i) =>
        e.action === 'hand-edited' ||
        e.action === 'outline-edited' ||
        e.action === 'outline-regenerated' ||
        (i > wroteAt && e.actor === 'editor' && !NOT_EDITS.has(e.action)),
    );
    mode = steered ? 'ai-assisted' : 'ai-autonomous';
  }
  return { mode, models, digital_source_type: AI_DISCLOSURE_SOURCE_TYPES[mode] };
}

/**
 * The disclosure's front-matter change: under the configured key (none when the site has no mapping,
 * `disclosureKey: false`, or a strict schema that does not accept the key).
 */
export function disclosureChanges(
  log: readonly LogEntry[],
  site: { disclosureKey?: string | false; keys?: string[] } | undefined,
): Record<string, unknown> {
  if (!site || site.disclosureKey === false) return {};
  const key = site.disclosureKey ?? DEFAULT_DISCLOSURE_KEY;
  if (site.keys && !site.keys.includes(key)) return {};
  return { [key]: disclosureOf(log) };
}
