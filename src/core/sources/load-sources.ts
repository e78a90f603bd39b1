import { readFile, stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { DraftError, RunError, UsageError } from '../errors.js';
import { htmlToMarkdown } from './extract-html.js';
import { pdfToText } from './extract-pdf.js';
import { DEFAULT_FETCH_LIMITS, safeFetch, type FetchLimits } from './safe-fetch.js';
import { latestSnapshot, saveSnapshot, type SnapshotMeta } from './snapshot-store.js';
import type { SourceSpec } from './source-spec.js';

/** A source ready for the prompts: its extracted text, and the snapshot that proves what it said. */
export interface LoadedSource {
  /** 1-based, in the order the editor gave them. */
  number: number;
  kind: 'url' | 'file';
  location: string;
  title: string;
  /** Where a citation links: the page's URL; a local file has none and is cited by its title. */
  url?: string;
  text: string;
  snapshot: SnapshotMeta;
  /** Read from the snapshot, without fetching. */
  offline: boolean;
}

export interface LoadSourcesOptions {
  cwd: string;
  projectRoot: string;
  limits?: Partial<FetchLimits>;
  /** Fetch again even when a snapshot exists. */
  refresh?: boolean;
  /** Go on without sources that fail, and say which. */
  skipBad?: boolean;
  concurrency?: number;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface LoadedSources {
  sources: LoadedSource[];
  skipped: { location: string; reason: string }[];
}

const TEXT_EXTENSIONS = new Set(['.md', '.markdown', '.mdx', '.txt', '.text']);
const HTML_EXTENSIONS = new Set(['.html', '.htm', '.xhtml']);

/**
 * Loads every source before any model request, a bounded number at a time. Every failure is collected,
 * so the editor hears about all bad sources at once: a refused or malformed one is a usage error (exit
 * 2), a network failure a run-time one (exit 1), unless `skipBad`.
 */
export async function loadSources(specs: SourceSpec[], options: LoadSourcesOptions): Promise<LoadedSources> {
  const limits = { ...DEFAULT_FETCH_LIMITS, ...options.limits };
  const { default: pLimit } = await import('p-limit');
  const limit = pLimit(options.concurrency ?? 4);
  const results = await Promise.all(
    unique(specs).map((spec, i) =>
      limit(async () => {
        try {
          return { ok: true as const, source: await loadOne(spec, i + 1, limits, options) };
        } catch (error) {
          if (!(error instanceof DraftError) || error.code === 'interrupted') throw error;
          return { ok: false as const, spec, error };
        }
      }),
    ),
  );
  const failures = results.filter((r) => !r.ok);
  if (failures.length > 0 && !options.skipBad) {
    const usage = failures.some((f) => f.error instanceof UsageError);
    const message = failures.map((f) => f.error.message).join('; ');
    const hint =
      failures.length === 1
        ? failures[0]!.error.hint
        : 'Fix or remove each source named above, or pass --skip-bad-sources to draft without them.';
    throw usage
      ? new UsageError(message, { hint, code: 'source-refused' })
      : new RunError(message, { hint, code: failures[0]!.error.code });
  }
  const sources = results.flatMap((r) => (r.ok ? [r.source] : [])).map((s, i) => ({ ...s, number: i + 1 }));
  return { sources, skipped: failures.map((f) => ({ location: f.spec.location, reason: f.error.message })) };
}

/** The same URL or path given twice is one source. */
function unique(specs: SourceSpec[]): SourceSpec[] {
  const byKey = new Map<string, SourceSpec>();
  for (const spec of specs) if (!byKey.has(`${spec.kind}:${spec.location}`)) byKey.set(`${spec.kind}:${spec.location}`, spec);
  return [...byKey.values()];
}

async function loadOne(spec: SourceSpec, number: number, limits: FetchLimits, options: LoadSourcesOptions): Promise<LoadedSource> {
  const now = (options.now ?? (() => new Date()))().toISOString();
  if (spec.kind === 'url') {
    if (!options.refresh) {
      const kept = await latestSnapshot(options.projectRoot, spec.location);
      if (kept) return fromSnapshot(spec, number, kept, true);
    }
    const fetched = await safeFetch(spec.location, limits, options.signal);
    const { title, text } = await extract(fetched.contentType, fetched.body, fetched.url, spec.location);
    const meta = await saveSnapshot(
      options.projectRoot,
      {
        kind: 'url',
        location: spec.location,
        finalUrl: fetched.url,
        title: spec.title ?? (title || new URL(fetched.url).hostname),
        contentType: fetched.contentType,
        fetchedAt: now,
      },
      text,
    );
    return fromSnapshot(spec, number, { meta, text }, false);
  }
  const path = resolve(options.cwd, spec.location);
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile())
      throw new UsageError(`source ${spec.location}: not a file`, {
        hint: 'A source is an http(s) URL or a file path.',
        code: 'source-refused',
      });
    if (info.size > limits.maxBytes)
      throw new UsageError(`source ${spec.location}: larger than the ${Math.round(limits.maxBytes / 1024)} KiB cap`, {
        hint: 'Give the relevant part as a smaller file.',
        code: 'source-refused',
      });
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof DraftError) throw error;
    const kept = await latestSnapshot(options.projectRoot, spec.location);
    if (kept) return fromSnapshot(spec, number, kept, true);
    throw new UsageError(`source ${spec.location}: no such file`, {
      hint: 'Paths are relative to the current folder.',
      code: 'source-refused',
    });
  }
  const ext = extname(path).toLowerCase();
  const contentType =
    ext === '.pdf' ? 'application/pdf' : HTML_EXTENSIONS.has(ext) ? 'text/html' : TEXT_EXTENSIONS.has(ext) ? 'text/markdown' : '';
  if (!contentType) {
    throw new UsageError(`source ${spec.location}: unsupported file type "${ext || 'none'}"`, {
      hint: 'A source file is Markdown, text, HTML or PDF.',
      code: 'source-refused',
    });
  }
  const { title, text } = await extract(contentType, bytes, `file://${path}`, spec.location);
  const meta = await saveSnapshot(
    options.projectRoot,
    { kind: 'file', location: spec.location, title: spec.title ?? (title || basename(path)), contentType, fetchedAt: now },
    text,
  );
  return fromSnapshot(spec, number, { meta, text }, false);
}

function fromSnapshot(spec: SourceSpec, number: number, kept: { meta: SnapshotMeta; text: string }, offline: boolean): LoadedSource {
  return {
    number,
    kind: spec.kind,
    location: spec.location,
    title: spec.title ?? kept.meta.title,
    ...(spec.kind === 'url' ? { url: spec.location } : {}),
    text: kept.text,
    snapshot: kept.meta,
    offline,
  };
}

async function extract(contentType: string, body: Buffer, url: string, label: string): Promise<{ title: string; text: string }> {
  let result: { title: string; text: string };
  try {
    if (contentType === 'application/pdf') result = await pdfToText(body);
    else if (contentType === 'text/html' || contentType === 'application/xhtml+xml') {
      const page = await htmlToMarkdown(decode(body), url);
      result = { title: page.title, text: page.markdown };
    } else {
      const text = decode(body).replace(/^\uFEFF/, '');
      result = { title: /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? '', text };
    }
  } catch (error) {
    throw new UsageError(`source ${label}: its text could not be read (${(error as Error).message.split('\n')[0]})`, {
      hint: 'Check that the file or page is what you meant; a scanned PDF has no text to read.',
      code: 'source-refused',
      cause: error,
    });
  }
  const text = result.text.replace(/\u0000/g, '').trim();
  if (!text)
    throw new UsageError(`source ${label}: no text found in it`, {
      hint: 'A scanned PDF or an empty page has nothing to cite.',
      code: 'source-refused',
    });
  return { ...result, text };
}

function decode(body: Buffer): string {
  return new TextDecoder('utf-8').decode(body);
}
