import { z } from 'zod';

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
  })
  .strict();
export type SiteFrontMatter = z.infer<typeof SiteFrontMatterSchema>;
