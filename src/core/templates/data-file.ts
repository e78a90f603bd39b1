import { parse as parseYaml } from 'yaml';
import { locateBlock } from '../document/front-matter-block.js';
import { UsageError } from '../errors.js';
import type { DataFile } from './data-file-values.js';

export { dataString } from './data-file-values.js';

/**
 * The tool's own data files (prompt templates, focus presets, word lists) are Markdown with optional
 * YAML front matter between `---` lines that users write by hand. Only the values matter here, not the
 * bytes; the posts' own block finder splits them (gray-matter did, but it loads a second YAML parser and
 * a JavaScript parser on every run), and `yaml` keeps dates as strings.
 */
export function readDataFile(path: string, text: string): DataFile {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  try {
    const block = source.startsWith('---') ? locateBlock(source, path) : null;
    if (!block) return { data: {}, content: source };
    const data = parseYaml(source.slice(block.innerStart, block.innerEnd)) ?? {};
    if (typeof data !== 'object' || Array.isArray(data)) throw new Error('expected key/value pairs at the top level');
    return { data: data as Record<string, unknown>, content: source.slice(block.raw.length) };
  } catch (error) {
    throw new UsageError(`${path}: malformed front matter: ${(error as Error).message.split('\n')[0]}`, {
      hint: 'The front matter is YAML between two --- lines, e.g. "description: what it does".',
      cause: error,
    });
  }
}
