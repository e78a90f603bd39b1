import * as z from 'zod';
import type { StateMode } from '../state-store.js';

export const SITE_GENERATORS = ['hugo', 'jekyll', 'astro', 'eleventy', 'docusaurus'] as const;
export type SiteGenerator = (typeof SITE_GENERATORS)[number];

/**
 * How a post is marked unpublished: a `draft: true` key (Hugo, Astro with a `draft` field, Eleventy,
 * Docusaurus), `published: false` (Jekyll inside `_posts`), Jekyll's `_drafts/` folder, or nothing.
 */
export const DRAFT_MARKERS = ['draft-key', 'published-false', 'drafts-folder', 'none'] as const;
export type DraftMarker = (typeof DRAFT_MARKERS)[number];

export const SiteFrontMatterSchema = z
  .object({
    /** The key a new post's date is written under: `date`, or Astro's `pubDate`. */
    dateKey: z.string().min(1).optional(),
    draft: z.enum(DRAFT_MARKERS).optional(),
    /** Only these keys are written (an Astro collection schema that is `.strict()`); unset means all. */
    keys: z.array(z.string().min(1)).min(1).optional(),
    /** The key a post's language (the brief's `language`) is written under, e.g. Hugo's `lang` or `languageCode`; unset writes none. */
    languageKey: z
      .string()
      .regex(/^[A-Za-z_][\w-]*$/, 'must be a plain key name')
      .optional(),
    /** The key the AI disclosure (ai-disclosure.ts) is written under; `ai_disclosure` by default, false for none. */
    disclosureKey: z.union([z.string().regex(/^[A-Za-z_][\w-]*$/, 'must be a plain key name'), z.literal(false)]).optional(),
  })
  .strict();
export type SiteFrontMatter = z.infer<typeof SiteFrontMatterSchema>;

/** What writing a post needs to know of the site: its front-matter mapping and where state lives. */
export type SiteOptions = SiteFrontMatter & { state?: StateMode };

/** The site options from a loaded config (`frontMatter` and `state`); undefined when neither is set. */
export function siteOptions(config: { frontMatter?: SiteFrontMatter; state?: StateMode }): SiteOptions | undefined {
  if (!config.frontMatter && !config.state) return undefined;
  return { ...config.frontMatter, ...(config.state ? { state: config.state } : {}) };
}
