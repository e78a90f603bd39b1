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

/** Lines of a text indexed once, so many offsets can be placed without rescanning it. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 1-based line of an offset. */
  line(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  /** 1-based line and column (in characters, as positionAt counts them) of an offset. */
  position(offset: number): { line: number; column: number } {
    const line = this.line(offset);
    return { line, column: [...this.text.slice(this.starts[line - 1], offset)].length + 1 };
  }
}

/** How many lines of `text` come before `tail`, its final part (a post's body after its front matter). */
export function linesBefore(text: string, tail: string): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < text.length - tail.length; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
