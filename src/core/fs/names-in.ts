import { readdir } from 'node:fs/promises';

/**
 * The names in `dir`, or none when it cannot be listed: for readers that have nothing to do where there
 * is no folder (stale locks, history, batch runs). A writer checks with exists() instead.
 */
export function namesIn(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}
