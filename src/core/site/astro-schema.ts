import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const ASTRO_CONFIG_FILES = [
  'src/content.config.ts',
  'src/content.config.mts',
  'src/content.config.js',
  'src/content.config.mjs',
  'src/content/config.ts',
  'src/content/config.mts',
  'src/content/config.js',
  'src/content/config.mjs',
];

export interface AstroCollection {
  /** The file it was read from, relative to the site root. */
  file: string;
  name: string;
  keys: string[];
  strict: boolean;
}

/**
 * The front-matter keys a content collection's schema accepts, read from its source text without
 * running it (running a site's code to set up a writing tool is not worth the risk). Only a plain
 * `z.object({ key: ..., ... })` literal is understood; anything else gives undefined, and the caller
 * falls back to the common keys and says so.
 */
export async function readAstroCollection(root: string): Promise<AstroCollection | undefined> {
  for (const file of ASTRO_CONFIG_FILES) {
    const text = await readFile(join(root, file), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const collections = collectionsIn(stripComments(text));
    const chosen = collections.find((c) => c.name === 'blog') ?? collections.find((c) => c.name === 'posts') ?? collections[0];
    return chosen ? { file, ...chosen } : undefined;
  }
  return undefined;
}

function collectionsIn(text: string): { name: string; keys: string[]; strict: boolean }[] {
  const found: { name: string; keys: string[]; strict: boolean }[] = [];
  // const blog = defineCollection({ ... schema: z.object({ ... }) ... })
  const definition = /(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*defineCollection\s*\(/g;
  for (let m = definition.exec(text); m; m = definition.exec(text)) {
    const objectAt = text.indexOf('z.object(', m.index);
    if (objectAt === -1) continue;
    const open = text.indexOf('{', objectAt);
    const close = matching(text, open);
    if (open === -1 || close === -1) continue;
    const keys = topLevelKeys(text.slice(open + 1, close));
    if (keys.length === 0) continue;
    const strict = /^\s*\)\s*\.strict\(\)/.test(text.slice(close + 1));
    found.push({ name: exportedName(text, m[1]!), keys, strict });
  }
  return found;
}

// `export const collections = { blog: blogCollection }` names the collection by its key.
function exportedName(text: string, variable: string): string {
  const exported = /export\s+const\s+collections\s*=\s*\{([^}]*)\}/.exec(text)?.[1] ?? '';
  for (const entry of exported.split(',')) {
    const [key, value] = entry.split(':').map((s) => s.trim().replace(/^['"]|['"]$/g, ''));
    if (key && (value ?? key) === variable) return key;
  }
  return variable;
}

function topLevelKeys(body: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let atEntryStart = true;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '"' || ch === "'" || ch === '`') {
      const end = body.indexOf(ch, i + 1);
      if (depth === 0 && atEntryStart) {
        const after = body.slice(end + 1).match(/^\s*:/);
        if (after) keys.push(body.slice(i + 1, end));
      }
      i = end === -1 ? body.length : end;
      atEntryStart = false;
      continue;
    }
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) atEntryStart = true;
    else if (depth === 0 && atEntryStart && /[A-Za-z_$]/.test(ch)) {
      const m = /^([A-Za-z_$][\w$]*)\s*:/.exec(body.slice(i));
      if (m) keys.push(m[1]!);
      atEntryStart = false;
    }
  }
  return keys;
}

function matching(text: string, open: number): number {
  if (open === -1) return -1;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}
