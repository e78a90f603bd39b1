import type { Brief } from '../brief.js';
import { renderNotes } from '../collab/notes.js';
import { createYamlFrontMatter } from '../document/front-matter.js';
import { STATE_KEY, type MachineState } from '../document/machine-state.js';
import { upsertNotesBlock, type NotesMarkerStyle } from '../document/notes-block.js';
import { hashSections } from '../document/section-hashes.js';
import type { ProviderInfo } from '../provider/types.js';
import { composeBody } from './compose.js';
import type { GeneratedDraft } from './generate-draft.js';
import { siteFrontMatter } from '../site/front-matter-map.js';
import type { SiteFrontMatter } from '../site/site-schema.js';

export interface FileMeta {
  slug: string;
  /** ISO 8601, kept as a string in the front matter. */
  date: string;
  provider: ProviderInfo;
  costUsd: number | null;
  notesHeading: string;
  /** 'mdx' for an .mdx file, whose notes markers must be MDX comments. */
  notesStyle?: NotesMarkerStyle;
  /** The site's front-matter mapping from the config (`draft init`): date key, draft marker, keys. */
  site?: SiteFrontMatter;
}

/** The brief as stored in the file, so `draft check` and `draft revise` know what was asked for. */
export function storedBrief(brief: Brief): Record<string, unknown> {
  return Object.fromEntries(Object.entries(brief).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
}

/** Front matter readable by Hugo, Astro, Jekyll and Eleventy, the post, and the generated notes. */
export async function renderDraftFile(draft: GeneratedDraft, brief: Brief, meta: FileMeta): Promise<{ text: string; body: string }> {
  const composed = await composeBody(draft.parts);
  // The body exactly as it will sit under the front matter (one blank line first), so the stored
  // section hashes match what a later revise or check reads back.
  const body = '\n' + upsertNotesBlock(composed, renderNotes(draft.log.events, meta.notesHeading), '\n', meta.notesStyle);
  const state: MachineState = {
    version: 1,
    provider: meta.provider.provider,
    model: meta.provider.model,
    brief: storedBrief(brief),
    usage: {
      inputTokens: draft.meter.inputTokens,
      outputTokens: draft.meter.outputTokens,
      requests: draft.meter.requests,
      costUsd: meta.costUsd,
    },
    sections: hashSections(body),
    log: draft.log.events,
  };
  const data: Record<string, unknown> = {
    title: draft.title,
    slug: meta.slug,
    date: meta.date,
    description: draft.description,
    tags: draft.tags,
    keywords: brief.keywords,
    ...(brief.author ? { author: brief.author } : {}),
    draft: true,
    [STATE_KEY]: state,
  };
  return { text: createYamlFrontMatter(siteFrontMatter(data, meta.site)) + body, body };
}
