import type { SourceFile } from '../document/front-matter.js';
import { escapeRegExp } from '../escape-regexp.js';

/**
 * Maps places in a parsed post back to lines of the file as stored, so every problem points at a line
 * an editor can jump to: body offsets shift by the front matter (and a BOM), keys are found in the raw block.
 */
export class SourceLines {
  private readonly lineStarts: number[] = [0];
  private readonly bodyStart: number;

  constructor(
    text: string,
    private readonly src: SourceFile,
  ) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    this.bodyStart = (src.bom ? 1 : 0) + src.frontMatter.length;
  }

  /** The file line of an offset into the body. */
  bodyLine(offset: number): number {
    const target = this.bodyStart + offset;
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.lineStarts[mid]! <= target) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  get lastLine(): number {
    return this.lineStarts.length;
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
