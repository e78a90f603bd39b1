import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';
import { prebuiltDataFile } from './prebuilt-templates.js';
import { type Template, templateFromDataFile } from './render-template.js';
import { templateSources, type TemplateSource } from './template-dirs.js';

export interface LocatedTemplate extends Template {
  origin: TemplateSource['origin'];
}

async function tryRead(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw new UsageError(`${path}: cannot read template (${(error as NodeJS.ErrnoException).code})`, { hint: 'check its permissions' });
  }
}

/** The first `<name>.md` found in the project, user, then built-in folders. */
export async function loadTemplate(
  name: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; kind?: '' | 'focus' },
): Promise<LocatedTemplate | undefined> {
  for (const source of templateSources(options.cwd, options.env, options.kind ?? '')) {
    const path = join(source.dir, `${name}.md`);
    const text = await tryRead(path);
    if (text !== undefined) return { ...(await parseLocated(name, path, text)), origin: source.origin };
  }
  return undefined;
}

/** parseTemplate, without loading the YAML parser for a built-in template the build already parsed. */
async function parseLocated(name: string, path: string, text: string): Promise<Template> {
  const prebuilt = prebuiltDataFile(path, text);
  if (prebuilt) return templateFromDataFile(name, path, prebuilt);
  const { parseTemplate } = await import('./template.js');
  return parseTemplate(name, path, text);
}

export async function requireTemplate(name: string, options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<LocatedTemplate> {
  const template = await loadTemplate(name, options);
  if (!template) {
    throw new UsageError(`prompt template "${name}" not found`, {
      hint: `the package install may be damaged; reinstall, or add .draft/prompts/${name}.md`,
    });
  }
  return template;
}

/**
 * Every `<name>.md` of a kind, the highest-precedence copy of each name (project, then user, then
 * built-in), sorted by name. `load` reads and parses one file; where it returns undefined, a copy
 * further down is used instead. Names `accept` refuses are passed over.
 */
export async function collectTemplateFiles<T extends { name: string }>(
  options: { cwd: string; env: NodeJS.ProcessEnv; kind: '' | 'focus' },
  load: (name: string, path: string, origin: TemplateSource['origin']) => Promise<T | undefined>,
  accept: (name: string) => boolean = () => true,
): Promise<T[]> {
  const found = new Map<string, T>();
  for (const source of templateSources(options.cwd, options.env, options.kind)) {
    let entries: string[];
    try {
      entries = await readdir(source.dir);
    } catch {
      continue;
    }
    for (const entry of entries.filter((e) => e.endsWith('.md')).sort()) {
      const name = basename(entry, '.md');
      if (!accept(name) || found.has(name)) continue;
      const loaded = await load(name, join(source.dir, entry), source.origin);
      if (loaded !== undefined) found.set(name, loaded);
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}
