import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import { type DataDocument, parseDataFile, readDataDocument } from '../brief.js';
import { noteParse } from '../document/parse-watch.js';
import { UsageError } from '../errors.js';
import { closest } from '../validation.js';
import { escapeRegExp } from '../escape-regexp.js';
import { isPlainObject } from '../plain-object.js';

/** One brief as found in the manifest, before validation. */
export interface ManifestEntry {
  /** 0-based position among all the manifest's briefs. */
  index: number;
  /** The file that holds it, as the user named it (for messages and annotations). */
  file: string;
  /** 1-based line where the entry starts, when known. */
  line?: number;
  /** Where inside the file, for messages: "briefs[3]". */
  path?: string;
  raw?: unknown;
  /** Set instead of `raw` when the entry itself could not be read (a bad JSONL line, a bad brief file). */
  parseError?: string;
  /** The id an entry gets when it names none: a folder entry's file name. */
  fallbackId?: string;
}

export interface Manifest {
  /** As the user gave it. */
  label: string;
  defaults: Record<string, unknown>;
  entries: ManifestEntry[];
}

const BRIEF_FILE = /\.(ya?ml|json)$/i;
const HINT =
  'a manifest is a YAML/JSON list of briefs, {defaults: {...}, briefs: [...]}, ' +
  'a .jsonl file (one brief a line), or a folder of brief files';

/** "briefs.yaml:14: briefs[3]" — compiler-style, so editors and CI logs can jump to it. */
export function entryLocation(entry: ManifestEntry): string {
  const at = entry.line === undefined ? entry.file : `${entry.file}:${entry.line}`;
  return entry.path ? `${at}: ${entry.path}` : at;
}

export async function loadManifest(manifestPath: string, cwd: string): Promise<Manifest> {
  const full = resolve(cwd, manifestPath);
  const label = relative(cwd, full) || manifestPath;
  let isFolder: boolean;
  try {
    isFolder = (await stat(full)).isDirectory();
  } catch (error) {
    throw new UsageError(`${label}: cannot read the manifest (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { hint: HINT });
  }
  if (isFolder) return loadFolder(full, label);
  const text = await readFile(full, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`${label}: cannot read the manifest (${error.code ?? 'error'})`, { hint: HINT });
  });
  const ext = extname(full).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return loadJsonLines(text, label);
  return loadDocument(text, label);
}

async function loadDocument(text: string, label: string): Promise<Manifest> {
  const read = await readDataDocument(text, label);
  const data = read.data;
  const lines = await entryLines(text, read.yaml);
  let list: unknown;
  let defaults: Record<string, unknown> = {};
  let prefix = '';
  if (Array.isArray(data)) {
    list = data;
  } else if (isPlainObject(data) && 'briefs' in data) {
    const extra = Object.keys(data).filter((k) => k !== 'briefs' && k !== 'defaults');
    if (extra.length > 0) {
      const named = extra.map((key) => {
        const guess = closest(key, ['briefs', 'defaults']);
        return `${key}${guess ? ` (did you mean ${guess}?)` : ''}`;
      });
      throw new UsageError(`${label}: unknown top-level field(s) ${named.join(', ')}`, { hint: HINT });
    }
    if (data.defaults !== undefined && !isPlainObject(data.defaults)) {
      throw new UsageError(`${label}: defaults must be an object of brief fields`, { hint: HINT });
    }
    defaults = (data.defaults as Record<string, unknown> | undefined) ?? {};
    list = data.briefs;
    prefix = 'briefs';
    if (!Array.isArray(list)) throw new UsageError(`${label}: briefs must be a list`, { hint: HINT });
  } else {
    const guess = isPlainObject(data)
      ? Object.keys(data)
          .map((key) => closest(key, ['briefs']))
          .find(Boolean)
      : undefined;
    throw new UsageError(`${label}: expected a list of briefs or {defaults, briefs}${guess ? ` (did you mean ${guess}?)` : ''}`, {
      hint: HINT,
    });
  }
  const entries = (list as unknown[]).map(
    (raw, index): ManifestEntry => ({
      index,
      file: label,
      line: lines?.[index],
      path: `${prefix}[${index}]`,
      raw,
    }),
  );
  return { label, defaults, entries };
}

/**
 * The line each list item starts on, from the YAML document the data was read from; a JSON manifest
 * (valid YAML) is parsed for its lines here. The data itself came from readDataDocument, which owns the
 * syntax errors, so a parse problem here only loses the lines.
 */
async function entryLines(text: string, read: DataDocument['yaml']): Promise<number[] | undefined> {
  const { LineCounter, isMap, isSeq, parseDocument } = await import('yaml');
  const { document, lines } =
    read ??
    (() => {
      const counter = new LineCounter();
      noteParse('yaml', text);
      return { document: parseDocument(text, { lineCounter: counter }), lines: counter };
    })();
  if (document.errors.length > 0) return undefined;
  const root = document.contents;
  const list = isSeq(root) ? root : isMap(root) ? root.get('briefs', true) : undefined;
  if (!isSeq(list)) return undefined;
  return list.items.map((item) => {
    const start = (item as { range?: [number, number, number] } | null)?.range?.[0];
    return start === undefined ? 0 : lines.linePos(start).line;
  });
}

function loadJsonLines(text: string, label: string): Manifest {
  const entries: ManifestEntry[] = [];
  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.replace(/\r$/, '');
    if (line.trim() === '') return;
    const entry: ManifestEntry = { index: entries.length, file: label, line: i + 1 };
    try {
      entry.raw = JSON.parse(line);
    } catch (error) {
      entry.parseError = `not valid JSON (${(error as Error).message})`;
    }
    entries.push(entry);
  });
  return { label, defaults: {}, entries };
}

async function loadFolder(full: string, label: string): Promise<Manifest> {
  const names = (await readdir(full)).filter((n) => BRIEF_FILE.test(n) && !n.startsWith('.')).sort();
  const entries = await Promise.all(
    names.map(async (name, index): Promise<ManifestEntry> => {
      const file = join(label, name);
      const entry: ManifestEntry = { index, file, fallbackId: basename(name, extname(name)) };
      try {
        entry.raw = await parseDataFile(await readFile(join(full, name), 'utf8'), file);
      } catch (error) {
        // parseDataFile names the file (and line:col); split that off so every entry reports its place one way.
        const message = (error as Error).message;
        const where = new RegExp(`^${escapeRegExp(file)}(?::(\\d+):\\d+)?: `).exec(message);
        if (where?.[1]) entry.line = Number(where[1]);
        entry.parseError = where ? message.slice(where[0].length) : message;
      }
      return entry;
    }),
  );
  return { label, defaults: {}, entries };
}
