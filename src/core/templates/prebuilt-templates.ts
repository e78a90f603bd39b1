import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { DataFile } from './data-file-values.js';
import { builtInPromptsDir } from './template-dirs.js';

/**
 * The build (scripts/copy-prompts.mjs) parses the built-in templates' front matter with readDataFile and
 * writes the result beside the copies, so that a run using only built-in templates never loads the YAML
 * parser before its first request. An entry counts only for the exact text it was made from: a built-in
 * file changed after the build, or a checkout without a build (src/prompts has no such file), is parsed
 * as any override is.
 */
export const PREBUILT_FILE = 'prebuilt.json';

interface PrebuiltEntry extends DataFile {
  /** The file's text as the build read it. */
  text: string;
}

const prebuilt = new Map<string, Record<string, PrebuiltEntry>>();

function prebuiltEntries(dir: string): Record<string, PrebuiltEntry> {
  let entries = prebuilt.get(dir);
  if (!entries) {
    try {
      entries = JSON.parse(readFileSync(join(dir, PREBUILT_FILE), 'utf8')) as Record<string, PrebuiltEntry>;
    } catch {
      entries = {}; // no build, or a damaged file: every template is parsed
    }
    prebuilt.set(dir, entries);
  }
  return entries;
}

/**
 * What readDataFile(path, text) returns, when `path` is a file of the built-in folder (`dir`, ending in a
 * separator) whose very `text` the build parsed; otherwise undefined, and the caller parses it.
 */
export function prebuiltDataFile(path: string, text: string, dir = builtInPromptsDir()): DataFile | undefined {
  if (!path.startsWith(dir)) return undefined;
  const entries = prebuiltEntries(dir);
  const key = path.slice(dir.length).split(sep).join('/');
  const entry = Object.hasOwn(entries, key) ? entries[key] : undefined;
  if (!entry || entry.text !== text) return undefined;
  return { data: structuredClone(entry.data), content: entry.content };
}
