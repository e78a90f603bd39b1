import { basename, dirname, relative, resolve, sep } from 'node:path';
import type { LoadedConfig } from '../config.js';

/** Places where the generator would silently skip the post. */
export function siteWarnings(path: string, loaded: LoadedConfig): string[] {
  const warnings: string[] = [];
  const parts = path.split(sep);
  const name = basename(path);
  if (parts.includes('_posts') && !/^\d{4}-\d{2}-\d{2}-/.test(name)) {
    warnings.push(`${name}: Jekyll drops a _posts file whose name does not start with a date (YYYY-MM-DD-)`);
  }
  const cfg = loaded.config;
  if (cfg.generator === 'hugo' && loaded.path) {
    const inside = relative(resolve(dirname(loaded.path), 'content'), path);
    if (inside.startsWith('..')) warnings.push(`${name}: Hugo only builds pages under content/`);
  }
  return warnings;
}
