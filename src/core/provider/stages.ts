import * as z from 'zod';

/**
 * A model per stage: a strong model can plan (outline) while a cheaper or local one drafts (section).
 * `title` and `seo` are revise's title proposals and SEO pass; `revise` is every other revision call.
 */
export const STAGES = ['outline', 'section', 'revise', 'title', 'seo'] as const;
export type Stage = (typeof STAGES)[number];

/** What a stage overrides; the rest (timeouts, retries) comes from the run's own settings. */
const StageModelObject = z
  .object({
    provider: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    baseURL: z.url({ protocol: /^https?$/ }).optional(),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
      .optional(),
  })
  .strict()
  .refine(
    (o) => o.provider !== undefined || o.model !== undefined || o.baseURL !== undefined,
    'must name a provider, a model or a baseURL',
  );

/** `"models": {"outline": "gpt-4o", "section": {"provider": "ollama", "model": "llama3.1"}}` — a string is a model name. */
export const StageModelsSchema = z
  .object(
    Object.fromEntries(STAGES.map((s) => [s, z.union([z.string().min(1), StageModelObject]).optional()])) as Record<
      Stage,
      z.ZodOptional<z.ZodUnion<[z.ZodString, typeof StageModelObject]>>
    >,
  )
  .strict();
export type StageModels = z.infer<typeof StageModelsSchema>;
export type StageModel = { provider?: string; model?: string; baseURL?: string; apiKeyEnv?: string };

export function stageModel(value: StageModels[Stage]): StageModel | undefined {
  return value === undefined ? undefined : typeof value === 'string' ? { model: value } : value;
}

/** Which stage a request belongs to, from its purpose (the same labels progress, logs and --dry-run show). */
export function stageOfPurpose(purpose: string): Stage | undefined {
  if (purpose === 'the outline') return 'outline';
  if (purpose === 'the introduction' || /^section \d+/.test(purpose)) return 'section';
  if (purpose === 'the title proposals') return 'title';
  if (purpose === 'the SEO revision') return 'seo';
  if (/^the revision of |^the new section /.test(purpose)) return 'revise';
  return undefined;
}

/** What each stage's model did, in words for the notes. */
export const STAGE_WORDS: Record<Stage, string> = {
  outline: 'planned the outline',
  section: 'drafted the sections',
  revise: 'revised',
  title: 'proposed titles',
  seo: 'improved SEO',
};
