/** YAML front matter: parse, edit one key in place, and write new blocks. */
import { Document, isMap, isScalar, parse as parseYamlValue, parseDocument, Scalar, visit } from 'yaml';
import type { Pair, ParsedNode } from 'yaml';
import type { Block } from './front-matter-block.js';
import { indentLines, keepInlineComment } from './front-matter-edits.js';
import { applyEdits, toEol, type Eol, type TextEdit } from './text-edits.js';
import { EngineSyntaxError, firstLine } from './front-matter-syntax-error.js';
import { lineAt, lineStartOf, nextLineStart } from './text-positions.js';
import { noteParse } from './parse-watch.js';

// The core schema has no timestamp type, so `date: 2024-03-05` stays the string as written, even under
// a `%YAML 1.1` directive (which would otherwise switch to the 1.1 schema and produce a Date).
const YAML_OPTIONS = { schema: 'core', prettyErrors: false, logLevel: 'silent', uniqueKeys: true } as const;

// A revision reads the front matter, then edits the same block: the edit reuses the document the
// read parsed (parsing it was a third of the YAML time of a revise) instead of parsing it again.
const PARSED_DOCUMENTS = 4;
const parsedDocuments = new Map<string, Document.Parsed>();

function parsed(text: string): Document.Parsed {
  noteParse('yaml', text);
  return parseDocument(text, YAML_OPTIONS);
}

export function parseYamlData(text: string): object {
  const doc = parsed(text);
  const error = doc.errors[0];
  if (error) throw new EngineSyntaxError(text, error.pos[0], firstLine(error.message));
  // An explicit `!!timestamp` tag resolves to a Date even in the core schema: take the text as written.
  let retyped = false;
  visit(doc, {
    Scalar(_, node) {
      if (node.value instanceof Date && typeof node.source === 'string') {
        node.value = node.source;
        retyped = true;
      }
    },
  });
  try {
    const data = (doc.toJS({ maxAliasCount: 100 }) as object | null) ?? {};
    // Only a document exactly as parsed is offered to editYaml.
    if (!retyped) {
      if (parsedDocuments.size >= PARSED_DOCUMENTS) parsedDocuments.delete(parsedDocuments.keys().next().value!);
      parsedDocuments.set(text, doc);
    }
    return data;
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

export function editYaml(block: Block, changes: Record<string, unknown>, eol: Eol): string {
  const inner = block.raw.slice(block.innerStart, block.innerEnd);
  // The splice below only reads the document, so it may be the one parseYamlData kept; the flow
  // rewrite changes its document, so that one is always parsed afresh.
  const kept = parsedDocuments.get(inner);
  const read = kept ?? parsed(inner);
  const contents = read.contents;
  if (contents !== null && !(isMap(contents) && !contents.flow)) {
    // A flow mapping (`{title: x}`) has no per-key lines to splice; let the yaml library rewrite it.
    const doc = kept ? parsed(inner) : read;
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
  const edits: TextEdit[] = [];
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
export function yamlText(data: Record<string, unknown>): string {
  const doc = new Document(data, { schema: 'core', aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && readsDifferentlyInYaml11(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

// The per-value YAML 1.1 parse (a fresh document each) was the costly part of writing a draft's front
// matter. A value of only letters, digits, spaces and marks that mean nothing to YAML there (a word
// first, or a digit then letters and digits, like a content hash) cannot change YAML's structure, so it
// reads as a string unless the 1.1 schema's scalar tests (yaml's own, below) take it for a boolean,
// null, number or float; only those values go on to the parser.
const INERT = /^(?:\p{L}[\p{L}\p{N} _.,'’()/-]*|[0-9][0-9A-Za-z]*)$/u;
const YAML11_SCALARS = [
  /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON|N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF|[Nn]ull|NULL)$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
];
// An ISO 8601 UTC timestamp (a log entry's `at`) is a 1.1 timestamp, which stays plain.
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

// Words, a colon and a space (a heading like "Conclusion: What Comes Next"): a YAML reader takes that
// for a one-key mapping, or fails on the rest; either way not the string, so no parse is needed.
const WORDS_THEN_COLON = /^\p{L}[\p{L}\p{N} _.,'’()/-]*: /u;

export function readsDifferentlyInYaml11(value: string): boolean {
  if (value.includes('\n') || value.length > 64) return false;
  if (INERT.test(value) && !YAML11_SCALARS.some((scalar) => scalar.test(value))) return false;
  if (ISO_TIMESTAMP.test(value)) return false;
  if (WORDS_THEN_COLON.test(value)) return true;
  try {
    const read: unknown = parseYamlValue(value, { version: '1.1', logLevel: 'silent' });
    return typeof read !== 'string' && !(read instanceof Date);
  } catch {
    return true;
  }
}

/**
 * The values of `data` whose YAML a parse must confirm, or undefined when the data holds anything
 * but plain objects, lists, strings, numbers, booleans and null under plain keys (then the whole block
 * is re-read). A boolean, null, a number written as a plain decimal, or a string of words that YAML's
 * core schema can only read as that string, as `yamlText` writes it (plain, or double-quoted like a
 * "Words: more" heading), needs no parse: a draft's front matter is all those, as a rule.
 */
export function valuesToConfirm(data: Record<string, unknown>): unknown[] | undefined {
  const doubtful: unknown[] = [];
  // A string met twice (a heading is in the outline, the log and the hashes) is re-read once. (Not a
  // number: a Set would keep -0 as 0.)
  const strings = new Set<string>();
  const walk = (value: unknown): boolean => {
    if (value === null || typeof value === 'boolean') return true;
    if (typeof value === 'number') {
      // JavaScript writes a number so that it reads back as the same number; YAML reads a plain
      // decimal as JavaScript does. Exponents, -0, NaN and infinities are YAML's own spellings.
      if (Object.is(value, -0) || !(Math.abs(value) <= Number.MAX_SAFE_INTEGER && PLAIN_DECIMAL.test(String(value)))) doubtful.push(value);
      return true;
    }
    if (typeof value === 'string') {
      if (!strings.has(value) && !readsAsWritten(value)) doubtful.push(value);
      strings.add(value);
      return true;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (!(i in value) || !walk(value[i])) return false;
      return true;
    }
    if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
    for (const [key, item] of Object.entries(value)) if (!PLAIN_KEY.test(key) || CORE_WORDS.test(key) || !walk(item)) return false;
    return true;
  };
  return walk(data) ? doubtful : undefined;
}

// Letters first (no YAML indicator can open it), then no colon, hash, quote mark, bracket, tab or line
// break, and no space at either end: YAML reads it as the string itself, unless it is one of the core
// schema's words. A date or a UTC timestamp is a string too: the core schema has no timestamp type.
const PLAIN_WORDS = /^\p{L}(?:[\p{L}\p{N} _.,'’()/-]*[\p{L}\p{N}_.,'’()/-])?$/u;
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const CORE_WORDS = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
const DATE_OR_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)?$/;
const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;
// What readsDifferentlyInYaml11 double-quotes without a parse (WORDS_THEN_COLON), made of characters
// that stay as they are between double quotes (no quote mark, backslash or control character).
const QUOTED_WORDS = /^\p{L}[\p{L}\p{N} _.,'’()/-]*: [\p{L}\p{N} _.,'’()/:;!?&-]*$/u;

function readsAsWritten(value: string): boolean {
  if ((PLAIN_WORDS.test(value) && !CORE_WORDS.test(value)) || DATE_OR_TIMESTAMP.test(value)) return true;
  return value.length <= 64 && QUOTED_WORDS.test(value) && WORDS_THEN_COLON.test(value);
}
