import { mkdir, readFile, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { RunError, UsageError } from '../errors.js';
import { escapeRegExp } from '../escape-regexp.js';
import { exists } from '../fs/exists.js';
import type { HistoryPlace } from './history-store.js';
import { saveProposalFor } from './proposals.js';
import { namesIn } from '../fs/names-in.js';

/**
 * The old layout kept `.draft/history/<file name>/` in the post's folder. On first use it is moved
 * to the new place, its proposals with it, and `.draft/` folders it leaves empty are removed. History
 * in both places is never merged by guessing: that is refused, naming both.
 */
export async function migrateLegacyHistory(path: string, place: HistoryPlace): Promise<void> {
  const legacyState = join(dirname(path), '.draft');
  const legacy = join(legacyState, 'history', basename(path));
  if (!(await isDirectory(legacy))) return;
  if (await exists(place.dir)) {
    // Checked again: another run may have just moved it here.
    if (!(await isDirectory(legacy))) return;
    throw new UsageError(`${basename(path)} has history in both ${legacy} (old layout) and ${place.dir}`, {
      hint: `merge them by hand: keep one folder, numbering its files on from the other's, and delete ${legacy}`,
      code: 'history-conflict',
    });
  }
  await mkdir(dirname(place.dir), { recursive: true });
  try {
    await rename(legacy, place.dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new RunError(`cannot move the history of ${basename(path)} from ${legacy} to ${place.dir} (${(error as Error).message})`, {
        hint: 'check that you can write to both folders',
      });
    }
  }
  await migrateLegacyProposals(path, join(legacyState, 'proposed'));
  for (const dir of [join(legacyState, 'history'), join(legacyState, 'proposed'), legacyState]) {
    await rmdir(dir).catch(() => undefined); // only removes it when empty
  }
}

/** `<name>` and `<stem>-N<ext>`: the names the old layout gave this post's proposals. */
async function migrateLegacyProposals(path: string, legacyDir: string): Promise<void> {
  const names = await namesIn(legacyDir);
  const name = basename(path);
  const ext = extname(name);
  const stem = ext ? name.slice(0, -ext.length) : name;
  const numbered = new RegExp(`^${escapeRegExp(stem)}-\\d+${escapeRegExp(ext)}$`);
  const number = (n: string) => (n === name ? 1 : Number(/-(\d+)[^-]*$/.exec(n)![1]));
  // In their old order (the plain name, then -2, -3 …), so they keep it under the new names.
  const ours = names.filter((n) => n === name || numbered.test(n)).sort((a, b) => number(a) - number(b));
  for (const found of ours) {
    // `post-2.md` may be the proposal for a post of that name: then it is that post's to move.
    if (found !== name && (await exists(join(dirname(path), found)))) continue;
    const from = join(legacyDir, found);
    await saveProposalFor(path, await readFile(from, 'utf8'));
    await unlink(from);
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}
