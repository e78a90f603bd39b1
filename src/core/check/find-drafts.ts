import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';

const MARKDOWN = /\.(md|markdown|mdx)$/i;

/**
 * The posts to check: files named directly (whatever their extension), and Markdown files under the
 * folders named. Dot files and folders (locks, temp files, .git) and node_modules are not posts.
 * Paths come back relative to `cwd`, sorted, each once.
 */
export async function findDrafts(paths: string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const path of paths) {
    const full = resolve(cwd, path);
    let isDir: boolean;
    try {
      isDir = (await stat(full)).isDirectory();
    } catch {
      throw new UsageError(`${path}: no such file or folder`, { hint: 'give the drafts folder or Markdown files to check' });
    }
    if (!isDir) found.add(full);
    else for (const file of await walk(full)) found.add(file);
  }
  return [...found].map((f) => relative(cwd, f) || f).sort();
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile() && MARKDOWN.test(entry.name)) out.push(path);
  }
  return out;
}
