/** Finding the front matter block at the start of a file and telling its format. */
import { UsageError } from '../errors.js';
import { lineAt, nextLineStart, positionAt } from './text-positions.js';
import type { Eol } from './text-edits.js';

export type FrontMatterFormat = 'yaml' | 'toml' | 'json' | 'none';
export type DataFormat = Exclude<FrontMatterFormat, 'none'>;

export const FORMAT_LABEL: Record<DataFormat, string> = { yaml: 'YAML', toml: 'TOML', json: 'JSON' };
export const FORMAT_HINT: Record<DataFormat, string> = {
  yaml: 'Fix the YAML between the --- lines (check indentation, colons and quotes).',
  toml: 'Fix the TOML between the +++ lines (strings need quotes, one key = value per line).',
  json: 'Fix the JSON front matter (double-quoted keys, commas between entries, none after the last).',
};

export function detectEol(text: string): Eol {
  const all = text.split('\n').length - 1;
  const crlf = text.split('\r\n').length - 1;
  return crlf > all - crlf ? '\r\n' : '\n';
}

/** The block as found at the start of the text (BOM already removed). */
export interface Block {
  format: DataFormat;
  /** Fences and trailing line break included. */
  raw: string;
  /** Where the data text starts and ends inside `raw`. */
  innerStart: number;
  innerEnd: number;
  /** Hugo's fence-less JSON object form. */
  bare: boolean;
}

export function locateBlock(content: string, file: string): Block | null {
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
