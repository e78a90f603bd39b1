import * as z from 'zod';

/** The prose rules of `draft check --style`; an AI tell is reported as `ai-tells/<id>`. */
export const STYLE_RULES = ['repeated-words', 'passive', 'simplify', 'readability', 'ai-tells'] as const;
export type StyleRule = (typeof STYLE_RULES)[number];

export const SEVERITIES = ['off', 'warning', 'error'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * A doubled word is nearly always a typo, and AI tells are what the check is for, so both gate CI by
 * default; passive voice, simpler words and readability are judgement calls, so they only warn.
 */
export const DEFAULT_SEVERITY: Record<StyleRule, Severity> = {
  'repeated-words': 'error',
  'ai-tells': 'error',
  passive: 'warning',
  simplify: 'warning',
  readability: 'warning',
};

/** These plugins' word lists and formulas are English; on a post in another language they would only mislead. */
export const ENGLISH_ONLY_RULES: readonly StyleRule[] = ['passive', 'simplify', 'readability'];

const RULE_KEY = /^(?:repeated-words|passive|simplify|readability|ai-tells(?:\/[a-z0-9][a-z0-9-]*)?)$/;

/** `check.style` in the config: a severity per rule, or per AI tell (`"ai-tells/delve": "off"`). */
export const StyleSeveritiesSchema = z.record(
  z.string().regex(RULE_KEY, `must be one of ${STYLE_RULES.join(', ')}, or ai-tells/<id>`),
  z.enum(SEVERITIES),
);
export type StyleSeverities = z.infer<typeof StyleSeveritiesSchema>;

/** The severity of a rule, or of one AI tell (its own setting, else the family's, else the default). */
export function severityOf(rule: StyleRule, id: string | undefined, configured: StyleSeverities = {}): Severity {
  return (id !== undefined ? configured[`${rule}/${id}`] : undefined) ?? configured[rule] ?? DEFAULT_SEVERITY[rule];
}
