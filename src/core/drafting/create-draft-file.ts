import { writeNewFile } from '../fs/atomic-write.js';
import type { PriceTable } from '../pricing.js';
import { fileNameFor, slugify } from '../slug.js';
import { countWords } from '../markdown.js';
import { generateDraft, type GenerateDraftOptions } from './generate-draft.js';
import { onceRequestSent } from './once-request-sent.js';
import type { KeywordCoverage } from './keywords.js';
import { withoutNulDeep } from '../model-text.js';
import type { SiteOptions } from '../site/site-schema.js';
import { InterruptedError, RunError, UsageError } from '../errors.js';
import type { SourceRecord } from '../sources/ground-draft.js';
import { loadSources } from '../sources/load-sources.js';
import { SourceContext } from '../sources/source-context.js';
import type { SourceSettings } from '../sources/source-settings.js';
import type { FigureReport } from '../sources/trace-figures.js';

/**
 * What turns the replies into a file (the Markdown toolchain, front matter in YAML and TOML, the figure
 * tracer, the notes): about half the code `draft new` runs, and none of it is needed to send the first
 * request. Loaded while that request waits on the model (see createDraftFile), not before it is sent.
 */
let writingModules: ReturnType<typeof importWritingModules> | undefined;
function importWritingModules() {
  return Promise.all([
    import('./render-file.js'),
    import('../document/notes-block.js'),
    import('../state-store.js'),
    import('../sources/ground-draft.js'),
    import('../sources/trace-figures.js'),
    import('../document/text-positions.js'),
  ]).then(([render, notes, state, ground, trace, positions]) => ({ render, notes, state, ground, trace, positions }));
}
function loadWritingModules(): NonNullable<typeof writingModules> {
  writingModules ??= importWritingModules();
  return writingModules;
}

export interface CreateDraftFileOptions extends Omit<GenerateDraftOptions, 'sources' | 'citations' | 'strictSources'> {
  outDir: string;
  fileNamePattern: string;
  force: boolean;
  notesHeading: string;
  prices?: PriceTable;
  /** The site's front-matter mapping (config `frontMatter`). */
  site?: SiteOptions;
  /** Where the brief's sources are read from and snapshotted; without it a brief with sources is refused. */
  sourceContext?: { cwd: string; projectRoot: string; settings: SourceSettings };
  /** The sources already loaded (`loadGrounding`), so a command can fail on a bad one before it starts. */
  grounding?: Grounding;
}

export interface Grounding {
  context: SourceContext;
  skipped: { location: string; reason: string }[];
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
  /** The sources used, and every figure's tracing (with no sources, every figure is "not from a source"). */
  sources: SourceRecord[];
  figures: FigureReport;
}

/** `draft new` and every entry of `draft batch`: generate, render, and write a new file atomically. */
export async function createDraftFile(options: CreateDraftFileOptions): Promise<CreatedDraft> {
  // A NUL in a brief field is dropped, not refused: it is never meant, and no file may hold one.
  const brief = withoutNulDeep(options.brief);
  const grounding = options.grounding ?? (await loadGrounding(brief, options));
  // Once the first request is on the wire, not before it.
  onceRequestSent(() => loadWritingModules().catch(() => {})); // a failure resurfaces where it is awaited
  const draft = await generateDraft({
    ...options,
    brief,
    sources: grounding.context,
    citations: options.sourceContext?.settings.citations,
    strictSources: options.sourceContext?.settings.strict,
  });
  draft.warnings.push(...grounding.skipped.map((s) => `source skipped: ${s.reason}`));
  const now = (options.now ?? (() => new Date()))();
  const info = options.provider.info;
  const { render, notes, state, ground, trace, positions } = await loadWritingModules();
  const { composeDraftBody, renderDraftFile } = render;
  const { citationsBySource, sourceRecord, traceBody } = ground;
  const slug = slugify(draft.title);
  const costUsd = draft.meter.costUsd(info, options.prices);
  // The name (its extension) decides the notes markers, so it is known before the file is rendered.
  const fileName = fileNameFor(options.fileNamePattern, { slug, date: now.toISOString().slice(0, 10) });
  const sourceRecords = grounding.context.sources.map(sourceRecord);
  // The notes say how many figures could not be traced, so they are traced before the file is rendered.
  const composed = await composeDraftBody(draft.parts, sourceRecords, options.sourceContext?.settings.citations ?? 'links');
  const figures = await traceBody(composed, { firstBodyLine: 1, brief, sources: grounding.context.sources });
  if (sourceRecords.length) draft.log.add('tool', undefined, 'sources-cited', { sources: citationsBySource(composed, sourceRecords) });
  if (options.sourceContext?.settings.strict && figures.untraced.length > 0) {
    throw new RunError(
      `${figures.untraced.length} figure(s) could not be traced to a source the editor provided, so the draft was not written: ${figures.untraced
        .map((f) => `${f.text} (${f.section ? `“${f.section}”` : 'introduction'})`)
        .join(', ')}`,
      { hint: 'Add a source that states them, or draft without --strict-sources and check the list.', code: 'figures-untraced' },
    );
  }
  draft.log.add('tool', undefined, 'figures-checked', {
    total: figures.total,
    untraced: figures.untraced.length,
    sources: sourceRecords.length,
  });
  const { text, body, sidecarState } = await renderDraftFile(draft, brief, composed, {
    slug,
    date: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    provider: info,
    costUsd,
    notesHeading: options.notesHeading,
    notesStyle: notes.notesStyleForPath(fileName),
    site: options.site,
    sources: sourceRecords,
  });
  // Last chance to stop before anything touches the disk.
  if (options.signal?.aborted) throw new InterruptedError();
  const path = await writeNewFile(options.outDir, fileName, text, { force: options.force });
  // A new post's name is known once it is written, so its sidecar comes second (see state-store.ts).
  if (sidecarState !== undefined) await state.writeNewSidecar(path, sidecarState, text);
  return {
    path,
    title: draft.title,
    slug,
    // The body before its notes is the composed body, already parsed for its figures: counted from that parse.
    words: await countWords(composed),
    sections: draft.outline.sections.map((s) => s.heading),
    usage: { ...draft.meter.usage, requests: draft.meter.requests, cachedRequests: draft.meter.cachedRequests, costUsd },
    coverage: draft.coverage,
    provider: info.provider,
    model: info.model,
    warnings: draft.warnings,
    sources: sourceRecords,
    // Traced before the file was rendered, on the composed post; it starts one line into the body.
    figures: trace.shiftLines(figures, positions.linesBefore(text, body) + 1),
  };
}

/** The brief's sources, fetched or read from their snapshots, before any model request. */
export async function loadGrounding(
  brief: CreateDraftFileOptions['brief'],
  options: Pick<CreateDraftFileOptions, 'sourceContext' | 'signal' | 'now'>,
): Promise<Grounding> {
  if (brief.sources.length === 0) return { context: new SourceContext([]), skipped: [] };
  const where = options.sourceContext;
  if (!where) throw new UsageError('this command does not take sources', { hint: 'Remove sources from the brief.' });
  const loaded = await loadSources(brief.sources, {
    cwd: where.cwd,
    projectRoot: where.projectRoot,
    limits: where.settings.limits,
    refresh: where.settings.refresh,
    skipBad: where.settings.skipBad,
    signal: options.signal,
    now: options.now,
  });
  return { context: await SourceContext.create(loaded.sources), skipped: loaded.skipped };
}
