import { writeNewFile } from '../fs/atomic-write.js';
import { costOf, type PriceTable } from '../pricing.js';
import { fileNameFor, slugify } from '../slug.js';
import { InterruptedError } from '../errors.js';
import { countWords } from '../markdown.js';
import { generateDraft, type GenerateDraftOptions } from './generate-draft.js';
import type { KeywordCoverage } from './keywords.js';
import { renderDraftFile } from './render-file.js';
import { findNotesBlock, notesStyleForPath } from '../document/notes-block.js';
import { withoutNulDeep } from '../model-text.js';
import type { SiteFrontMatter } from '../site/site-schema.js';

export interface CreateDraftFileOptions extends GenerateDraftOptions {
  outDir: string;
  fileNamePattern: string;
  force: boolean;
  notesHeading: string;
  prices?: PriceTable;
  /** The site's front-matter mapping (config `frontMatter`). */
  site?: SiteFrontMatter;
}

export interface CreatedDraft {
  path: string;
  title: string;
  slug: string;
  words: number;
  sections: string[];
  usage: { inputTokens: number; outputTokens: number; requests: number; cachedRequests: number; costUsd: number | null };
  coverage: KeywordCoverage[];
  provider: string;
  model: string;
  /** Said in the summary, --json and the batch report: e.g. "the model proposed 5 sections instead of 3". */
  warnings: string[];
}

/** `draft new` and every entry of `draft batch`: generate, render, and write a new file atomically. */
export async function createDraftFile(options: CreateDraftFileOptions): Promise<CreatedDraft> {
  // A NUL in a brief field is dropped, not refused: it is never meant, and no file may hold one.
  const brief = withoutNulDeep(options.brief);
  const draft = await generateDraft({ ...options, brief });
  const now = (options.now ?? (() => new Date()))();
  const info = options.provider.info;
  const slug = slugify(draft.title);
  const costUsd = costOf(draft.meter.usage, info.model, { local: info.local, prices: options.prices });
  // The name (its extension) decides the notes markers, so it is known before the file is rendered.
  const fileName = fileNameFor(options.fileNamePattern, { slug, date: now.toISOString().slice(0, 10) });
  const { text, body } = await renderDraftFile(draft, brief, {
    slug,
    date: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    provider: info,
    costUsd,
    notesHeading: options.notesHeading,
    notesStyle: notesStyleForPath(fileName),
    site: options.site,
  });
  // Last chance to stop before anything touches the disk.
  if (options.signal?.aborted) throw new InterruptedError();
  const path = await writeNewFile(options.outDir, fileName, text, { force: options.force });
  const notes = findNotesBlock(body);
  return {
    path,
    title: draft.title,
    slug,
    words: await countWords(notes ? body.slice(0, notes.start) : body),
    sections: draft.outline.sections.map((s) => s.heading),
    usage: { ...draft.meter.usage, requests: draft.meter.requests, cachedRequests: draft.meter.cachedRequests, costUsd },
    coverage: draft.coverage,
    provider: info.provider,
    model: info.model,
    warnings: draft.warnings,
  };
}
