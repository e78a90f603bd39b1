import type { SourceFile } from '../document/front-matter.js';
import { LineIndex } from '../document/text-positions.js';
import { escapeRegExp } from '../escape-regexp.js';

/**
 * Maps places in a parsed post back to lines of the file as stored, so every problem points at a line
 * an editor can jump to: body offsets shift by the front matter (and a BOM), keys are found in the raw block.
 */
export class SourceLines {
  private readonly lines: LineIndex;
  private readonly bodyStart: number;

  constructor(
    text: string,
    private readonly src: SourceFile,
  ) {
    this.lines = new LineIndex(text);
    this.bodyStart = (src.bom ? 1 : 0) + src.frontMatter.length;
  }

  /** The file line of an offset into the body. */
  bodyLine(offset: number): number {
    return this.lines.line(this.bodyStart + offset);
  }

  get lastLine(): number {
    return this.lines.lineCount;
  }

  /** The line of a top-level front-matter key (YAML `key:`, TOML `key =`, JSON `"key":`), or 1. */
  keyLine(key: string): number {
    const escaped = escapeRegExp(key);
    const pattern =
      this.src.format === 'json'
        ? new RegExp(`^\\s*"${escaped}"\\s*:`)
        : new RegExp(`^["']?${escaped}["']?\\s*${this.src.format === 'toml' ? '=' : ':'}`);
    return this.frontMatterLine((line) => pattern.test(line));
  }

  /** The first front-matter line containing `text`, or 1. */
  lineContaining(text: string): number {
    return this.frontMatterLine((line) => line.includes(text));
  }

  private frontMatterLine(matches: (line: string) => boolean): number {
    const index = this.src.frontMatter.split('\n').findIndex(matches);
    return index === -1 ? 1 : index + 1;
  }
}
