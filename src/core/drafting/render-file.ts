import type { Brief } from '../brief.js';
import { renderNotes } from '../collab/notes.js';
import { createYamlFrontMatter } from '../document/front-matter.js';
import type { MachineState } from '../document/machine-state.js';
import { stateChanges } from '../state-store.js';
import { upsertNotesBlock, type NotesMarkerStyle } from '../document/notes-block.js';
import { hashSections } from '../document/section-hashes.js';
import type { ProviderInfo } from '../provider/types.js';
import { footnoteDefinitions, type CitationStyle } from '../sources/citations.js';
import type { SourceRecord } from '../sources/ground-draft.js';
import { composeBody } from './compose.js';
import type { GeneratedDraft } from './generate-draft.js';
import { siteFrontMatter } from '../site/front-matter-map.js';
import type { SiteOptions } from '../site/site-schema.js';

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
  site?: SiteOptions;
  sources?: SourceRecord[];
}

/** The post's Markdown without the notes: the parts, and the source footnotes when citations are footnotes. */
export async function composeDraftBody(parts: GeneratedDraft['parts'], sources: SourceRecord[], citations: CitationStyle): Promise<string> {
  const composed = await composeBody(parts);
  if (citations !== 'footnotes') return composed;
  const cited = new Set(parts.flatMap((p) => p.grounding?.cited ?? []));
  const definitions = footnoteDefinitions(sources, cited);
  return definitions ? `${composed.replace(/\n*$/, '')}\n\n${definitions}\n` : composed;
}

/** The brief as stored in the file, so `draft check` and `draft revise` know what was asked for. */
export function storedBrief(brief: Brief): Record<string, unknown> {
  return Object.fromEntries(Object.entries(brief).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
}

/** Front matter readable by Hugo, Astro, Jekyll and Eleventy, the post, and the generated notes. */
export async function renderDraftFile(
  draft: GeneratedDraft,
  brief: Brief,
  composed: string,
  meta: FileMeta,
): Promise<{ text: string; body: string; sidecarState?: unknown }> {
  // The body exactly as it will sit under the front matter (one blank line first), so the stored
  // section hashes match what a later revise or check reads back.
  const body = `\n${upsertNotesBlock(composed, renderNotes(draft.log.events, meta.notesHeading), '\n', meta.notesStyle)}`;
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
    // The composed post was parsed to trace its figures: its tree serves, and the notes need none.
    sections: hashSections(body, composed),
    ...(meta.sources?.length ? { sources: meta.sources } : {}),
    log: draft.log.events,
  };
  const placed = stateChanges(undefined, state, meta.site);
  const data: Record<string, unknown> = {
    title: draft.title,
    slug: meta.slug,
    date: meta.date,
    description: draft.description,
    tags: draft.tags,
    keywords: brief.keywords,
    ...(brief.author ? { author: brief.author } : {}),
    ...(brief.language && meta.site?.languageKey ? { [meta.site.languageKey]: brief.language } : {}),
    draft: true,
    // The state (or, in sidecar mode, none) and the AI disclosure: state-store.ts decides.
    ...placed.changes,
  };
  const text = createYamlFrontMatter(siteFrontMatter(data, meta.site)) + body;
  return { text, body, ...(placed.sidecarState !== undefined ? { sidecarState: placed.sidecarState } : {}) };
}
