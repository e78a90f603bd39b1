import { isDeepStrictEqual } from 'node:util';
import matter from 'gray-matter';
import * as TOML from 'smol-toml';
import { Document, isAlias, isMap, isScalar, parse as parseYamlValue, parseDocument, Scalar, visit } from 'yaml';
import type { Pair, ParsedNode } from 'yaml';
import { RunError, UsageError } from '../errors.js';

export type FrontMatterFormat = 'yaml' | 'toml' | 'json' | 'none';
type Eol = '\n' | '\r\n';
type DataFormat = Exclude<FrontMatterFormat, 'none'>;

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
const FORMAT_LABEL: Record<DataFormat, string> = { yaml: 'YAML', toml: 'TOML', json: 'JSON' };
const FORMAT_HINT: Record<DataFormat, string> = {
  yaml: 'Fix the YAML between the --- lines (check indentation, colons and quotes).',
  toml: 'Fix the TOML between the +++ lines (strings need quotes, one key = value per line).',
  json: 'Fix the JSON front matter (double-quoted keys, commas between entries, none after the last).',
};

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

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

function detectEol(text: string): Eol {
  const all = text.split('\n').length - 1;
  const crlf = text.split('\r\n').length - 1;
  return crlf > all - crlf ? '\r\n' : '\n';
}

/** The block as found at the start of the text (BOM already removed). */
interface Block {
  format: DataFormat;
  /** Fences and trailing line break included. */
  raw: string;
  /** Where the data text starts and ends inside `raw`. */
  innerStart: number;
  innerEnd: number;
  /** Hugo's fence-less JSON object form. */
  bare: boolean;
}

function locateBlock(content: string, file: string): Block | null {
  const firstLine = lineAt(content, 0).replace(/\r$/, '');
  const dashes = /^---[ \t]*([A-Za-z][\w-]*)?[ \t]*$/.exec(firstLine);
  if (dashes) return fencedBlock(content, '---', formatForLanguage(dashes[1], file), file);
  if (/^\+\+\+[ \t]*$/.test(firstLine)) return fencedBlock(content, '+++', 'toml', file);
  // `{{<` is a Hugo shortcode opening the body, not JSON front matter.
  if (content.startsWith('{') && !content.startsWith('{{')) return bareJsonBlock(content, file);
  return null;
}

function formatForLanguage(language: string | undefined, file: string): DataFormat {
  switch (language?.toLowerCase()) {
    case undefined:
    case 'yaml':
    case 'yml':
      return 'yaml';
    case 'json':
      return 'json';
    case 'toml':
      return 'toml';
    default:
      throw new UsageError(`${file}:1:4: unsupported front matter language "${language}"`, {
        hint: 'Use YAML (---), TOML (+++) or JSON front matter.',
      });
  }
}

function fencedBlock(content: string, fence: string, format: DataFormat, file: string): Block {
  const innerStart = nextLineStart(content, 0);
  for (let pos = innerStart; pos < content.length; pos = nextLineStart(content, pos)) {
    if (lineAt(content, pos).trimEnd() === fence) {
      const end = nextLineStart(content, pos);
      return { format, raw: content.slice(0, end), innerStart, innerEnd: pos, bare: false };
    }
  }
  throw new UsageError(`${file}:1:1: the ${FORMAT_LABEL[format]} front matter opened here is never closed`, {
    hint: `Add a line containing only ${fence} after the front matter.`,
  });
}

function bareJsonBlock(content: string, file: string): Block {
  const end = matchingBrace(content);
  if (end === -1) {
    throw new UsageError(`${file}:1:1: malformed JSON front matter: the opening { is never closed`, {
      hint: FORMAT_HINT.json,
    });
  }
  const rest = lineAt(content, end);
  const stray = rest.search(/\S/);
  if (stray !== -1) {
    const { line, column } = positionAt(content, end + stray);
    throw new UsageError(`${file}:${line}:${column}: malformed JSON front matter: unexpected text after the closing }`, {
      hint: 'Put the body on the line after the JSON object.',
    });
  }
  return { format: 'json', raw: content.slice(0, nextLineStart(content, end)), innerStart: 0, innerEnd: end, bare: true };
}

/** Offset just after the `}` that closes the object opening the text, or -1. */
function matchingBrace(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"' || c === '\n') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth += 1;
    else if (c === '}') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Thrown by the engines with a position inside the text gray-matter handed them. */
class EngineSyntaxError extends Error {
  constructor(
    readonly source: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

// gray-matter cuts the block at "\n---", so with CRLF line endings the text it hands over ends in a stray
// "\r" that would otherwise stick to the last value. Dropping it keeps every offset valid.
const withoutFinalCr =
  (parse: (text: string) => object) =>
  (text: string): object =>
    parse(text.endsWith('\r') ? text.slice(0, -1) : text);
const ENGINES = {
  yaml: withoutFinalCr(parseYamlData),
  toml: withoutFinalCr(parseTomlData),
  json: withoutFinalCr(parseJsonData),
};

function parseBlock(block: Block, file: string): Record<string, unknown> {
  // gray-matter cannot delimit Hugo's bare JSON object, so hand it the same JSON behind a `---json` fence.
  const prefix = block.bare ? '---json\n' : '';
  const input = block.bare ? `${prefix}${block.raw.slice(0, block.innerEnd)}\n---\n` : block.raw;
  let data: unknown;
  try {
    data = matter(input, { language: block.format, delimiters: block.bare ? '---' : fenceOf(block), engines: ENGINES }).data;
  } catch (error) {
    if (!(error instanceof EngineSyntaxError)) throw error;
    // The engine saw a slice of `input` starting on the fence line, so its offsets map back by a constant.
    const offset = input.indexOf(error.source) + error.offset - prefix.length;
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
  return toPlainData(data) as Record<string, unknown>;
}

function fenceOf(block: Block): string {
  return block.raw.startsWith('+++') ? '+++' : '---';
}

// --- YAML --------------------------------------------------------------------------------------

// The core schema has no timestamp type, so `date: 2024-03-05` stays the string as written, even under
// a `%YAML 1.1` directive (which would otherwise switch to the 1.1 schema and produce a Date).
const YAML_OPTIONS = { schema: 'core', prettyErrors: false, logLevel: 'silent', uniqueKeys: true } as const;

function parseYamlData(text: string): object {
  const doc = parseDocument(text, YAML_OPTIONS);
  const error = doc.errors[0];
  if (error) throw new EngineSyntaxError(text, error.pos[0], firstLine(error.message));
  // An explicit `!!timestamp` tag resolves to a Date even in the core schema: take the text as written.
  visit(doc, {
    Scalar(_, node) {
      if (node.value instanceof Date && typeof node.source === 'string') node.value = node.source;
    },
  });
  try {
    return (doc.toJS({ maxAliasCount: 100 }) as object | null) ?? {};
  } catch (cause) {
    let offset = 0;
    visit(doc, {
      Alias(_, node) {
        if (node.resolve(doc) === undefined && node.range) {
          offset = node.range[0];
          return visit.BREAK;
        }
        return undefined;
      },
    });
    throw new EngineSyntaxError(text, offset, firstLine(cause instanceof Error ? cause.message : String(cause)));
  }
}

// --- TOML --------------------------------------------------------------------------------------

function parseTomlData(text: string): object {
  try {
    TOML.parse(text);
  } catch (error) {
    if (!(error instanceof TOML.TomlError)) throw error;
    const reason = firstLine(error.message).replace(/^Invalid TOML document:\s*/, '');
    throw new EngineSyntaxError(text, offsetOfLineColumn(text, error.line, error.column), reason);
  }
  // smol-toml turns datetimes into Date objects and prints them back normalised (`.000` added), so the
  // literals are quoted before the real parse: they come out as strings exactly as the author wrote them.
  return TOML.parse(quoteTomlDatetimes(text));
}

function quoteTomlDatetimes(text: string): string {
  let out = text;
  for (const [start, end] of scanToml(text).datetimes.reverse()) {
    out = out.slice(0, start) + JSON.stringify(out.slice(start, end)) + out.slice(end);
  }
  return out;
}

// --- JSON --------------------------------------------------------------------------------------

function parseJsonData(text: string): object {
  try {
    return JSON.parse(text) as object;
  } catch (error) {
    // V8 often omits the position ("Unexpected token '}'"), so find it ourselves.
    const found = locateJsonError(text) ?? { offset: 0, reason: firstLine((error as Error).message) };
    throw new EngineSyntaxError(text, found.offset, found.reason);
  }
}

/** First syntax error in a JSON text, or null when it is valid. */
function locateJsonError(text: string): { offset: number; reason: string } | null {
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw Object.assign(new Error(reason), { at });
  };
  const describe = (): string => (i >= text.length ? 'unexpected end of the JSON' : `unexpected ${JSON.stringify(text[i])}`);
  const space = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i] ?? '')) i += 1;
  };
  const string = (): void => {
    const start = i;
    i += 1;
    for (;;) {
      const c = text[i];
      if (c === undefined || c === '\n') fail('unterminated string', start);
      if (c === '"') break;
      if (c !== undefined && c < ' ') fail('control character in a string');
      if (c === '\\') {
        const escape = text[i + 1] ?? '';
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(escape) || escape === '') fail('bad escape in a string');
        i += 1;
      }
      i += 1;
    }
    i += 1;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') return container('}', true);
    if (c === '[') return container(']', false);
    if (c === '"') return string();
    const word = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    word.lastIndex = i;
    const match = word.exec(text);
    if (!match) fail(`${describe()} where a value should be`);
    i = word.lastIndex;
  };
  const container = (close: string, isObject: boolean): void => {
    i += 1;
    space();
    if (text[i] === close) {
      i += 1;
      return;
    }
    for (;;) {
      space();
      if (isObject) {
        if (text[i] !== '"') fail(text[i] === close ? `trailing comma before ${close}` : `${describe()}: expected a double-quoted key`);
        string();
        space();
        if (text[i] !== ':') fail(`${describe()}: expected ':' after the key`);
        i += 1;
      }
      value();
      space();
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      if (text[i] === close) {
        i += 1;
        return;
      }
      fail(`${describe()}: expected ',' or '${close}'`);
    }
  };
  try {
    value();
    space();
    if (i < text.length) fail(`${describe()} after the end of the JSON`);
    return null;
  } catch (error) {
    const at = (error as { at?: number }).at;
    if (typeof at !== 'number') throw error;
    return { offset: at, reason: (error as Error).message };
  }
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/**
 * Returns the new raw block with `changes` applied (`undefined` deletes a key). Every key not named in
 * `changes` keeps its exact bytes, comments included. A file without front matter gets a YAML block.
 */
export function setFrontMatterKeys(
  src: SourceFile,
  changes: Record<string, unknown | undefined>,
  fileLabel = 'front matter',
): string {
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
  const parsed = parseSource(raw, 'new front matter');
  if (!isDeepStrictEqual(parsed.data, normalized)) {
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

/** Dates become strings and undefined members vanish, as they would after a write and re-read. */
function normalizeChanges(changes: Record<string, unknown>, format: DataFormat): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    // TOML has no null: a null value removes the key.
    out[key] = value === undefined || (format === 'toml' && value === null) ? undefined : normalizeValue(value, format === 'toml');
  }
  return out;
}

function normalizeValue(value: unknown, dropNull: boolean): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => normalizeValue(item ?? null, dropNull));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || (dropNull && item === null)) continue;
      out[key] = normalizeValue(item, dropNull);
    }
    return out;
  }
  return value;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  // Back to front so earlier offsets stay valid; an insert at a deletion's end goes in first.
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}

/** Re-attaches an inline `# comment` that followed the old value when the new pair is still one line. */
function keepInlineComment(pairText: string, trailing: string, eol: Eol): string {
  const comment = /^[ \t]+#.*$/.exec(trailing.replace(/\r$/, ''));
  const lines = pairText.split(eol);
  if (!comment || lines.length !== 2) return pairText;
  return `${lines[0]}${comment[0]}${eol}`;
}

// --- YAML --------------------------------------------------------------------------------------

function editYaml(block: Block, changes: Record<string, unknown>, eol: Eol): string {
  const inner = block.raw.slice(block.innerStart, block.innerEnd);
  const doc = parseDocument(inner, YAML_OPTIONS);
  const contents = doc.contents;
  if (contents !== null && !(isMap(contents) && !contents.flow)) {
    // A flow mapping (`{title: x}`) has no per-key lines to splice; let the yaml library rewrite it.
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) doc.delete(key);
      else doc.set(key, value);
    }
    return block.raw.slice(0, block.innerStart) + toEol(doc.toString({ lineWidth: 0 }), eol) + block.raw.slice(block.innerEnd);
  }
  const pairs = (contents?.items ?? []) as Pair<ParsedNode, ParsedNode | null>[];
  // Top-level keys are normally at column 0, but an indented block must stay consistently indented.
  const indentOf = (offset: number): string => inner.slice(lineStartOf(inner, offset), offset).replace(/[^ \t]/g, '');
  const firstKey = pairs[0]?.key;
  const blockIndent = firstKey ? indentOf(firstKey.range[0]) : '';
  const edits: Edit[] = [];
  let appended = '';
  for (const [key, value] of Object.entries(changes)) {
    const pair = pairs.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (!pair) {
      if (value !== undefined) appended += indentLines(toEol(yamlText({ [key]: value }), eol), blockIndent);
      continue;
    }
    const keyRange = pair.key.range;
    const valueEnd = pair.value?.range[1] ?? keyRange[1];
    // Block collections and block scalars end after their last line break; flow values end mid-line.
    const endsLine = inner[valueEnd - 1] === '\n';
    const end = endsLine ? valueEnd : nextLineStart(inner, valueEnd);
    const text = value === undefined ? '' : indentLines(toEol(yamlText({ [key]: value }), eol), indentOf(keyRange[0]));
    edits.push({
      start: lineStartOf(inner, keyRange[0]),
      end,
      text: endsLine ? text : keepInlineComment(text, lineAt(inner, valueEnd), eol),
    });
  }
  const edited = applyEdits(inner, edits) + appended;
  return block.raw.slice(0, block.innerStart) + edited + block.raw.slice(block.innerEnd);
}

/**
 * YAML for `data` that every common static-site generator reads back as the same values: block style,
 * no line folding, and strings that YAML 1.1 readers (Jekyll's Psych) would take as booleans or numbers
 * quoted. Date-like strings stay plain so generators see a date.
 */
function yamlText(data: Record<string, unknown>): string {
  const doc = new Document(data, { schema: 'core', aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && readsDifferentlyInYaml11(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

function readsDifferentlyInYaml11(value: string): boolean {
  if (value.includes('\n') || value.length > 64) return false;
  try {
    const read: unknown = parseYamlValue(value, { version: '1.1', logLevel: 'silent' });
    return typeof read !== 'string' && !(read instanceof Date);
  } catch {
    return true;
  }
}

// --- TOML --------------------------------------------------------------------------------------

function editToml(block: Block, changes: Record<string, unknown>, eol: Eol): string {
  const inner = block.raw.slice(block.innerStart, block.innerEnd);
  const { items } = scanToml(inner);
  const firstTable = items.findIndex((item) => item.kind !== 'pair');
  const topPairs = firstTable === -1 ? items : items.slice(0, firstTable);
  const tables = tableSections(items);
  const edits: Edit[] = [];
  let topInsert = '';
  const tableBlocks: string[] = [];
  for (const [key, value] of Object.entries(changes)) {
    const asTable = value !== undefined && isTableLike(value);
    let replaced = false;
    for (const pair of topPairs.filter((p) => p.path[0] === key)) {
      if (value !== undefined && !asTable && !replaced && pair.path.length === 1) {
        const text = keepInlineComment(tomlText({ [key]: value }, eol), lineAt(inner, pair.valueEnd), eol);
        edits.push({ start: pair.start, end: pair.end, text });
        replaced = true;
      } else {
        edits.push({ start: pair.start, end: pair.end, text: '' });
      }
    }
    for (const table of tables.filter((t) => t.path[0] === key)) {
      // The blank lines after a removed table go with it, so repeated rewrites do not pile them up.
      edits.push({ start: table.start, end: afterBlankLines(inner, table.end), text: '' });
    }
    if (value === undefined || replaced) continue;
    if (asTable) tableBlocks.push(tomlText({ [key]: value }, eol));
    else topInsert += tomlText({ [key]: value }, eol);
  }
  if (topInsert) {
    const at = topPairs.at(-1)?.end ?? 0;
    edits.push({ start: at, end: at, text: topInsert });
  }
  let edited = applyEdits(inner, edits);
  if (tableBlocks.length > 0) {
    // Tables go last: anything after a [table] header would belong to it.
    const separator = edited === '' || /\n[ \t]*\r?\n$/.test(edited) ? '' : eol;
    edited += separator + tableBlocks.join(eol);
  }
  return block.raw.slice(0, block.innerStart) + edited + block.raw.slice(block.innerEnd);
}

function isTableLike(value: unknown): boolean {
  return isPlainObject(value) || (Array.isArray(value) && value.some(isPlainObject));
}

/** Each [table] / [[array]] header with the key/value lines under it. */
function tableSections(items: TomlItem[]): { path: string[]; start: number; end: number }[] {
  const sections: { path: string[]; start: number; end: number }[] = [];
  for (const item of items) {
    const current = sections.at(-1);
    if (item.kind !== 'pair') sections.push({ path: item.path, start: item.start, end: item.end });
    else if (current) current.end = item.end;
  }
  return sections;
}

/** smol-toml output, with date-like strings written as TOML dates (plain, as Hugo expects). */
function tomlText(data: Record<string, unknown>, eol: Eol): string {
  const nonce = Math.random().toString(36).slice(2);
  const literals: string[] = [];
  const swap = (value: unknown): unknown => {
    if (typeof value === 'string' && isTomlDatetimeLiteral(value)) {
      literals.push(value);
      return `@@draft-datetime-${nonce}-${literals.length - 1}@@`;
    }
    if (Array.isArray(value)) return value.map(swap);
    if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v)]));
    return value;
  };
  const text = TOML.stringify(swap(data)).replace(
    new RegExp(`"@@draft-datetime-${nonce}-(\\d+)@@"`, 'g'),
    (_, index: string) => literals[Number(index)] ?? '',
  );
  return toEol(`${text.replace(/\n+$/, '')}\n`, eol);
}

function isTomlDatetimeLiteral(value: string): boolean {
  if (!/^(?:\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?|\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.test(value)) {
    return false;
  }
  try {
    return TOML.parse(`v = ${value}`).v instanceof TOML.TomlDate;
  } catch {
    return false;
  }
}

interface TomlItem {
  kind: 'pair' | 'table' | 'array-table';
  /** Dotted key, unquoted. */
  path: string[];
  /** From the start of its first line to after its last line break. */
  start: number;
  end: number;
  /** Where the value ends (a trailing comment may follow). */
  valueEnd: number;
}

const TOML_DATETIME =
  /(?:\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?|\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?![\w:.+-])/y;

/**
 * Lays out a TOML document that smol-toml already accepted: the lines of each top-level item and the
 * source range of every datetime value. smol-toml reports neither, and both are needed to edit one key
 * without reformatting the rest and to keep dates exactly as written.
 */
function scanToml(text: string): { items: TomlItem[]; datetimes: [number, number][] } {
  const items: TomlItem[] = [];
  const datetimes: [number, number][] = [];
  let i = 0;
  const broken = (): never => {
    throw new Error(`unexpected TOML at offset ${i}`);
  };
  const blanks = (): void => {
    while (text[i] === ' ' || text[i] === '\t') i += 1;
  };
  // Arrays and inline tables may spread over lines with comments in between.
  const filler = (): void => {
    for (;;) {
      blanks();
      if (text[i] === '\r' || text[i] === '\n') i += 1;
      else if (text[i] === '#') i = lineEndOf(text, i);
      else return;
    }
  };
  const stringLiteral = (): void => {
    const quote = text[i] ?? broken();
    const triple = quote.repeat(3);
    if (text.startsWith(triple, i)) {
      i += 3;
      while (!text.startsWith(triple, i)) {
        if (i >= text.length) broken();
        i += quote === '"' && text[i] === '\\' ? 2 : 1;
      }
      i += 3;
      // Up to two quotes right before the closing delimiter belong to the content.
      for (let extra = 0; extra < 2 && text[i] === quote; extra += 1) i += 1;
      return;
    }
    i += 1;
    while (text[i] !== quote) {
      if (i >= text.length) broken();
      i += quote === '"' && text[i] === '\\' ? 2 : 1;
    }
    i += 1;
  };
  const keyPart = (): string => {
    const start = i;
    if (text[i] === '"' || text[i] === "'") {
      stringLiteral();
      return TOML.parse(`k = ${text.slice(start, i)}`).k as string;
    }
    const bare = /[A-Za-z0-9_-]+/y;
    bare.lastIndex = i;
    const match = bare.exec(text) ?? broken();
    i = bare.lastIndex;
    return match[0];
  };
  const key = (): string[] => {
    const path: string[] = [];
    for (;;) {
      blanks();
      path.push(keyPart());
      blanks();
      if (text[i] !== '.') return path;
      i += 1;
    }
  };
  const value = (): void => {
    const c = text[i];
    if (c === '"' || c === "'") return stringLiteral();
    if (c === '[' || c === '{') {
      const close = c === '[' ? ']' : '}';
      i += 1;
      for (;;) {
        filler();
        if (text[i] === close) {
          i += 1;
          return;
        }
        if (i >= text.length) broken();
        if (c === '{') {
          key();
          if (text[i] !== '=') broken();
          i += 1;
          blanks();
        }
        value();
        filler();
        if (text[i] === ',') i += 1;
      }
    }
    TOML_DATETIME.lastIndex = i;
    const date = TOML_DATETIME.exec(text);
    if (date) {
      datetimes.push([i, i + date[0].length]);
      i += date[0].length;
      return;
    }
    const bare = /[^\s,\]}#]+/y;
    bare.lastIndex = i;
    if (!bare.exec(text)) broken();
    i = bare.lastIndex;
  };
  while (i < text.length) {
    const start = i;
    blanks();
    const c = text[i];
    if (c === undefined) break;
    if (c === '\r' || c === '\n' || c === '#') {
      i = nextLineStart(text, i);
      continue;
    }
    if (c === '[') {
      const isArray = text[i + 1] === '[';
      i += isArray ? 2 : 1;
      const path = key();
      const valueEnd = i + (isArray ? 2 : 1);
      i = nextLineStart(text, valueEnd);
      items.push({ kind: isArray ? 'array-table' : 'table', path, start, end: i, valueEnd });
      continue;
    }
    const path = key();
    if (text[i] !== '=') broken();
    i += 1;
    blanks();
    value();
    const valueEnd = i;
    i = nextLineStart(text, i);
    items.push({ kind: 'pair', path, start, end: i, valueEnd });
  }
  return { items, datetimes };
}

// --- JSON --------------------------------------------------------------------------------------

function editJson(block: Block, changes: Record<string, unknown>, eol: Eol): string {
  const json = block.raw.slice(block.innerStart, block.innerEnd);
  const data = JSON.parse(json) as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete data[key];
    else data[key] = value;
  }
  const indent = /\n([ \t]+)\S/.exec(json)?.[1];
  const text = toEol(JSON.stringify(data, null, indent), eol);
  if (block.bare) return text + block.raw.slice(block.innerEnd);
  const leading = /^(?:[ \t]*\r?\n)*/.exec(json)?.[0] ?? '';
  return block.raw.slice(0, block.innerStart) + leading + text + eol + block.raw.slice(block.innerEnd);
}

// ---------------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------------

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Engine output as ordinary data: any Date an engine still produced (explicit YAML tags, a datetime the
 * TOML scan missed) becomes its ISO string, and smol-toml's null-prototype tables become plain objects.
 */
function toPlainData(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPlainData);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty: a "__proto__" key must stay a key, not replace the prototype.
      Object.defineProperty(out, key, { value: toPlainData(item), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

function toEol(text: string, eol: Eol): string {
  return eol === '\n' ? text : text.replace(/\r?\n/g, eol);
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}

/** The line containing `offset`, without its line break. */
function lineAt(text: string, offset: number): string {
  return text.slice(offset, lineEndOf(text, offset)).replace(/\r$/, '');
}

function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl;
}

function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

function afterBlankLines(text: string, offset: number): number {
  let pos = offset;
  while (pos < text.length && lineAt(text, pos).trim() === '') pos = nextLineStart(text, pos);
  return pos;
}

function indentLines(text: string, indent: string): string {
  return indent === '' ? text : text.replace(/^(?=[^\r\n])/gm, indent);
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** 1-based line and column (in characters) of an offset. */
function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: [...text.slice(lineStart, offset)].length + 1 };
}

function offsetOfLineColumn(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l += 1) offset = nextLineStart(text, offset);
  return Math.min(offset + Math.max(0, column - 1), text.length);
}
