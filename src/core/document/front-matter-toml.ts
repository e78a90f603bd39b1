/** TOML front matter: parse with datetimes kept as written, lay out the source, and edit one key in place. */
import * as TOML from 'smol-toml';
import type { Block } from './front-matter-block.js';
import { keepInlineComment } from './front-matter-edits.js';
import { applyEdits, toEol, type Eol, type TextEdit } from './text-edits.js';
import { EngineSyntaxError, firstLine } from './front-matter-syntax-error.js';
import { isPlainObject } from '../plain-object.js';
import { afterBlankLines, lineAt, lineEndOf, nextLineStart, offsetOfLineColumn } from './text-positions.js';

export function parseTomlData(text: string): object {
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

export function editToml(block: Block, changes: Record<string, unknown>, eol: Eol): string {
  const inner = block.raw.slice(block.innerStart, block.innerEnd);
  const { items } = scanToml(inner);
  const firstTable = items.findIndex((item) => item.kind !== 'pair');
  const topPairs = firstTable === -1 ? items : items.slice(0, firstTable);
  const tables = tableSections(items);
  const edits: TextEdit[] = [];
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
  if (
    !/^(?:\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?|\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.test(
      value,
    )
  ) {
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
    if (c === '"' || c === "'") {
      stringLiteral();
      return;
    }
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
