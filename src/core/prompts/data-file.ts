import matter from 'gray-matter';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../errors.js';

/**
 * The tool's own data files (prompt templates, focus presets, word lists) are Markdown with optional
 * YAML front matter that users write by hand. Only the values matter here, not the bytes, so gray-matter
 * splits them; the `yaml` engine keeps dates as strings, and passing options skips gray-matter's
 * cache, which would hand back the same (mutable) object for the same text.
 */
export function readDataFile(path: string, text: string): { data: Record<string, unknown>; content: string } {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  try {
    const parsed = matter(source, { engines: { yaml: (s: string) => (parseYaml(s) ?? {}) as object } });
    return { data: parsed.data as Record<string, unknown>, content: parsed.content };
  } catch (error) {
    throw new UsageError(`${path}: malformed front matter: ${(error as Error).message.split('\n')[0]}`, {
      hint: 'The front matter is YAML between two --- lines, e.g. "description: what it does".',
      cause: error,
    });
  }
}

/** A front-matter string field, or '' when absent. */
export function dataString(data: Record<string, unknown>, key: string): string {
  const value = data[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}
