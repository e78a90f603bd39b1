/** Line and offset arithmetic on plain text, for locating and splicing front matter. */

/** The line containing `offset`, without its line break. */
export function lineAt(text: string, offset: number): string {
  return text.slice(offset, lineEndOf(text, offset)).replace(/\r$/, '');
}

export function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl;
}

export function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

export function afterBlankLines(text: string, offset: number): number {
  let pos = offset;
  while (pos < text.length && lineAt(text, pos).trim() === '') pos = nextLineStart(text, pos);
  return pos;
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** 1-based line and column (in characters) of an offset. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
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

export function offsetOfLineColumn(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l += 1) offset = nextLineStart(text, offset);
  return Math.min(offset + Math.max(0, column - 1), text.length);
}
