/** Front matter: read a post's YAML, TOML or JSON block, and write keys back without disturbing the rest. */
import { isDeepStrictEqual } from 'node:util';
import { RunError, UsageError } from '../errors.js';
import { detectEol, FORMAT_HINT, FORMAT_LABEL, locateBlock, type Block, type FrontMatterFormat } from './front-matter-block.js';
import { toEol, type Eol } from './text-edits.js';
import { editJson, parseJsonData } from './front-matter-json.js';
import { EngineSyntaxError } from './front-matter-syntax-error.js';
import { editToml, parseTomlData } from './front-matter-toml.js';
import { isPlainObject } from '../plain-object.js';
import { normalizeChanges, normalizeValue, toPlainData } from './front-matter-values.js';
import { editYaml, parseYamlData, valuesToConfirm, yamlText } from './front-matter-yaml.js';
import { positionAt } from './text-positions.js';

export type { FrontMatterFormat } from './front-matter-block.js';

export interface SourceFile {
  /** The text started with U+FEFF (kept on output). */
  bom: boolean;
  /** Dominant line ending (kept on output). */
  eol: Eol;
  format: FrontMatterFormat;
  /** Exact raw block, delimiters and its trailing line break included; '' when none. */
  frontMatter: string;
  /** Parsed; dates stay strings exactly as written (no JS Date). */
  data: Record<string, unknown>;
  /** Exact text after the block. */
  body: string;
}

const BOM = '\uFEFF';

export function parseSource(text: string, fileLabel: string): SourceFile {
  const bom = text.startsWith(BOM);
  const content = bom ? text.slice(1) : text;
  const eol = detectEol(content);
  const block = locateBlock(content, fileLabel);
  if (!block) return { bom, eol, format: 'none', frontMatter: '', data: {}, body: content };
  const data = parseBlock(block, fileLabel);
  return { bom, eol, format: block.format, frontMatter: block.raw, data, body: content.slice(block.raw.length) };
}

export function renderSource(src: Pick<SourceFile, 'bom'>, frontMatter: string, body: string): string {
  return (src.bom ? BOM : '') + frontMatter + body;
}

// The block has already been located (front-matter-block.ts) because edits need its exact offsets, so
// its inside goes straight to the engine. The tool's own data files (src/core/templates/data-file.ts)
// use the same block finder and keep only the values.
const ENGINES = { yaml: parseYamlData, toml: parseTomlData, json: parseJsonData };

// A revise reads one front matter several times (the post, its diff, the check of the proposed
// file): the engine's values for the last few blocks are kept, and each caller gets its own copy
// (toPlainData copies every list and object), so nobody shares what another may change.
const RECENT_BLOCKS = 8;
const recentData = new Map<string, unknown>();

function parseBlock(block: Block, file: string): Record<string, unknown> {
  const inner = block.raw.slice(block.innerStart, block.innerEnd);
  const key = `${block.format}\n${inner}`;
  let data: unknown = recentData.get(key);
  if (data === undefined) data = readBlock(block, inner, file);
  if (recentData.size >= RECENT_BLOCKS) recentData.delete(recentData.keys().next().value!);
  recentData.set(key, data);
  return toPlainData(data) as Record<string, unknown>;
}

function readBlock(block: Block, inner: string, file: string): unknown {
  let data: unknown;
  try {
    data = ENGINES[block.format](inner);
  } catch (error) {
    if (!(error instanceof EngineSyntaxError)) throw error;
    const offset = block.innerStart + error.offset;
    const { line, column } = positionAt(block.raw, Math.max(0, Math.min(offset, block.raw.length)));
    throw new UsageError(`${file}:${line}:${column}: malformed ${FORMAT_LABEL[block.format]} front matter: ${error.reason}`, {
      hint: FORMAT_HINT[block.format],
      cause: error,
    });
  }
  if (!isPlainObject(data)) {
    const { line, column } = positionAt(block.raw, block.innerStart);
    throw new UsageError(
      `${file}:${line}:${column}: malformed ${FORMAT_LABEL[block.format]} front matter: expected key/value pairs at the top level`,
      { hint: FORMAT_HINT[block.format] },
    );
  }
  return data;
}

/**
 * Returns the new raw block with `changes` applied (`undefined` deletes a key). Every key not named in
 * `changes` keeps its exact bytes, comments included. A file without front matter gets a YAML block.
 */
export function setFrontMatterKeys(src: SourceFile, changes: Record<string, unknown | undefined>, fileLabel = 'front matter'): string {
  const format = src.format === 'none' ? 'yaml' : src.format;
  const normalized = normalizeChanges(changes, format);
  if (src.format === 'none') {
    const defined = Object.fromEntries(Object.entries(normalized).filter(([, v]) => v !== undefined));
    return Object.keys(defined).length === 0 ? '' : createYamlFrontMatter(defined, src.eol);
  }
  const block = locateBlock(src.frontMatter, fileLabel);
  if (!block) throw new RunError(`${fileLabel}: the front matter block given for update is not front matter`);
  let raw: string;
  try {
    raw =
      block.format === 'yaml'
        ? editYaml(block, normalized, src.eol)
        : block.format === 'toml'
          ? editToml(block, normalized, src.eol)
          : editJson(block, normalized, src.eol);
  } catch (error) {
    throw updateFailed(fileLabel, changes, error);
  }
  verifyUpdate(raw, src, normalized, fileLabel, changes);
  return raw;
}

/** A complete `---` block for a new draft, keys in the given order. */
export function createYamlFrontMatter(data: Record<string, unknown>, eol: Eol = '\n'): string {
  const normalized = normalizeValue(data, false) as Record<string, unknown>;
  const yaml = Object.keys(normalized).length === 0 ? '' : yamlText(normalized);
  const raw = `---${eol}${toEol(yaml, eol)}---${eol}`;
  // Re-reading the whole block was a third of a draft's rendering; only the values that could read
  // back differently are re-read, in a block of their own, unless the data is not plain data at all.
  const doubtful = valuesToConfirm(normalized);
  const expected = doubtful === undefined ? normalized : { values: doubtful };
  const reread = doubtful === undefined ? raw : doubtful.length === 0 ? undefined : `---\n${yamlText(expected)}---\n`;
  if (reread !== undefined && !isDeepStrictEqual(parseSource(reread, 'new front matter').data, expected)) {
    throw new RunError('could not write the front matter: a value does not survive YAML', {
      hint: 'Front matter values must be strings, numbers, booleans, null, lists or objects.',
    });
  }
  return raw;
}

function verifyUpdate(
  raw: string,
  src: SourceFile,
  normalized: Record<string, unknown>,
  file: string,
  changes: Record<string, unknown>,
): void {
  const expected: Record<string, unknown> = { ...src.data };
  for (const [key, value] of Object.entries(normalized)) {
    if (value === undefined) delete expected[key];
    else expected[key] = value;
  }
  let reparsed: SourceFile;
  try {
    reparsed = parseSource(raw, file);
  } catch (error) {
    throw updateFailed(file, changes, error);
  }
  if (reparsed.frontMatter !== raw || !isDeepStrictEqual(reparsed.data, expected)) {
    throw updateFailed(file, changes, undefined);
  }
}

function updateFailed(file: string, changes: Record<string, unknown>, cause: unknown): RunError {
  const keys = Object.keys(changes).join(', ');
  return new RunError(`${file}: could not update front matter key(s) ${keys} safely; the file was not changed`, {
    hint: 'Edit those keys by hand, or report this as a bug with the front matter that triggered it.',
    cause,
  });
}
