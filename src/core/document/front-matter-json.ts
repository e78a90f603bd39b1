/** JSON front matter: parse, locate the first syntax error, and edit. */
import { applyEdits as applyJsonEdits, modify } from 'jsonc-parser';
import type { Block } from './front-matter-block.js';
import { toEol, type Eol } from './text-edits.js';
import { EngineSyntaxError, firstLine } from './front-matter-syntax-error.js';

export function parseJsonData(text: string): object {
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
        const escaped = text[i + 1] ?? '';
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(escaped) || escaped === '') fail('bad escape in a string');
        i += 1;
      }
      i += 1;
    }
    i += 1;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') container('}', true);
    else if (c === '[') container(']', false);
    else if (c === '"') string();
    else {
      const word = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
      word.lastIndex = i;
      const match = word.exec(text);
      if (!match) fail(`${describe()} where a value should be`);
      i = word.lastIndex;
    }
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

/**
 * jsonc-parser's `modify` edits only the span of each changed key, so untouched keys keep their exact
 * bytes: `"tags": ["a", "b"]` stays on one line and `1.50` is not re-printed as `1.5`.
 */
export function editJson(block: Block, changes: Record<string, unknown>, eol: Eol): string {
  let json = block.raw.slice(block.innerStart, block.innerEnd);
  const indent = /\n([ \t]+)\S/.exec(json)?.[1] ?? '  ';
  const formattingOptions = { insertSpaces: !indent.includes('\t'), tabSize: indent.includes('\t') ? 1 : indent.length, eol };
  for (const [key, value] of Object.entries(changes)) {
    json = applyJsonEdits(json, modify(json, [key], value, { formattingOptions }));
  }
  return block.raw.slice(0, block.innerStart) + toEol(json, eol) + block.raw.slice(block.innerEnd);
}
