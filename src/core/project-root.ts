import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/**
 * Files whose presence marks a project's top folder. `.draft/` (history, proposals, locks) lives
 * there, beside the site generator's config, never inside a content folder the generator publishes.
 */
export const PROJECT_MARKERS = ['draft.config.json', '.draftrc.json', '.git', 'package.json'] as const;

/**
 * The nearest folder, walking up from `startDir`, holding one of PROJECT_MARKERS; `startDir`
 * itself when none does (a loose folder of posts keeps its state beside them, as before).
 */
export async function findProjectRoot(startDir: string): Promise<string> {
  const start = resolve(startDir);
  for (let dir = start; ; dir = dirname(dir)) {
    for (const marker of PROJECT_MARKERS) {
      if (await present(join(dir, marker))) return dir;
    }
    if (dirname(dir) === dir) return start;
  }
}

/** The project's own state folder. */
export function stateDir(root: string): string {
  return join(root, '.draft');
}

async function present(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
