import { randomBytes } from 'node:crypto';
import { constants as fsConstants, unlinkSync } from 'node:fs';
// The default export (not named imports) so tests can intercept a single call such as `link`.
import fs from 'node:fs/promises';
import path from 'node:path';
import { DraftError, InterruptedError, RunError, UsageError } from '../errors.js';
import { processIsGone } from './process-gone.js';

/**
 * Writes never leave a half-written post behind: content goes to a hidden temp file in the target
 * folder, is flushed, and only then takes the real name. Temp files in flight are registered so the
 * SIGINT/SIGTERM handler can remove them synchronously before the process exits.
 */

interface TempFile {
  path: string;
  /** Set by cleanupTempFilesSync: the writer must stop and not publish anything. */
  cancelled: boolean;
}

const inFlight = new Set<TempFile>();

/** Removes every temp file still being written and makes their writers give up. Returns the paths removed. */
export function cleanupTempFilesSync(): string[] {
  const removed: string[] = [];
  for (const temp of inFlight) {
    temp.cancelled = true;
    try {
      unlinkSync(temp.path);
      removed.push(temp.path);
    } catch {
      // Not created yet, or already renamed into place: nothing to remove.
    }
  }
  inFlight.clear();
  return removed;
}

const MAX_NAME_ATTEMPTS = 1000;

/**
 * Writes `content` as a new file in `dir` and returns its absolute path. Without `force` an existing
 * file is never overwritten: the name gets `-2`, `-3`… instead, decided atomically by hard-linking,
 * so concurrent writers of the same name each get their own file.
 */
export async function writeNewFile(dir: string, fileName: string, content: string, options: { force?: boolean } = {}): Promise<string> {
  const root = path.resolve(dir);
  const target = path.resolve(root, fileName);
  const relative = path.relative(root, target);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new UsageError(`${fileName}: this file name would be written outside ${root}`, {
      hint: 'Use a plain file name such as my-post.md.',
    });
  }
  const folder = path.dirname(target);
  try {
    await fs.mkdir(folder, { recursive: true });
  } catch (error) {
    throw describeFsError(error, folder);
  }
  await removeStaleTemps(folder);
  const temp = startTemp(folder, path.basename(target));
  try {
    await writeTemp(temp, content);
    if (options.force) {
      await fs.rename(temp.path, target);
      return target;
    }
    return await linkToFreeName(temp, target);
  } catch (error) {
    throw temp.cancelled ? new InterruptedError() : describeFsError(error, target);
  } finally {
    await finishTemp(temp);
  }
}

/** Atomically replaces the file (following a symlink to its target), keeping its permission bits. */
export async function replaceFile(filePath: string, content: string): Promise<void> {
  let target: string;
  try {
    target = await fs.realpath(filePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw describeFsError(error, filePath);
    target = path.resolve(filePath);
  }
  let existing: { mode: number; uid: number; gid: number } | undefined;
  try {
    const info = await fs.stat(target);
    existing = { mode: info.mode & 0o7777, uid: info.uid, gid: info.gid };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw describeFsError(error, target);
  }
  await removeStaleTemps(path.dirname(target));
  const temp = startTemp(path.dirname(target), path.basename(target));
  try {
    await writeTemp(temp, content, existing);
    await fs.rename(temp.path, target);
  } catch (error) {
    throw temp.cancelled ? new InterruptedError() : describeFsError(error, target);
  } finally {
    await finishTemp(temp);
  }
}

/**
 * Writes `content` under exactly `target`, complete or not at all, and only if no file has that name:
 * false when the name is taken. For numbered records (history snapshots) where a full disk must not
 * leave a truncated file under the real name.
 */
export async function writeExclusive(target: string, content: string | Buffer): Promise<boolean> {
  const folder = path.dirname(target);
  await removeStaleTemps(folder);
  const temp = startTemp(folder, path.basename(target));
  try {
    await writeTemp(temp, content);
    try {
      await fs.link(temp.path, target);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (!hardLinksUnsupported(code)) throw error;
    }
    try {
      await fs.copyFile(temp.path, target, fsConstants.COPYFILE_EXCL);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  } catch (error) {
    throw temp.cancelled ? new InterruptedError() : describeFsError(error, target);
  } finally {
    await finishTemp(temp);
  }
}

const TEMP_NAME = /^\..*\.(\d+)\.[0-9a-f]{12}\.tmp$/;
const swept = new Set<string>();

/**
 * A run killed with SIGKILL (or a machine that lost power) cannot remove its temp file. The pid in
 * the name tells whether its writer is still running; once per folder per process, the temps of
 * writers that are gone are removed. A pid that exists (even reused by another program) keeps its
 * file: leaving a stray temp is harmless, removing a live writer's is not.
 */
export async function removeStaleTemps(folder: string): Promise<string[]> {
  const key = path.resolve(folder);
  if (swept.has(key)) return [];
  swept.add(key);
  let names: string[];
  try {
    names = await fs.readdir(key);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || !processIsGone(Number(m[1]))) continue;
    try {
      await fs.unlink(path.join(key, name));
      removed.push(path.join(key, name));
    } catch {
      // Removed by another run meanwhile, or not ours to remove: leave it.
    }
  }
  return removed;
}

function startTemp(folder: string, baseName: string): TempFile {
  // Leading dot hides it from site generators and file listings; `.tmp` matches the repo's ignore rules.
  const name = `.${baseName.slice(0, 100)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const temp: TempFile = { path: path.join(folder, name), cancelled: false };
  inFlight.add(temp);
  return temp;
}

async function finishTemp(temp: TempFile): Promise<void> {
  inFlight.delete(temp);
  try {
    await fs.unlink(temp.path);
  } catch {
    // Already renamed into place or removed by cleanupTempFilesSync.
  }
}

function throwIfCancelled(temp: TempFile): void {
  if (temp.cancelled) throw new InterruptedError();
}

async function writeTemp(temp: TempFile, content: string | Buffer, keep?: { mode: number; uid: number; gid: number }): Promise<void> {
  const handle = await fs.open(temp.path, 'wx', 0o666);
  try {
    throwIfCancelled(temp);
    if (keep) {
      // open() applies the umask; the replaced file's exact bits must survive.
      await handle.chmod(keep.mode);
      if (keep.uid !== process.getuid?.() || keep.gid !== process.getgid?.()) {
        await handle.chown(keep.uid, keep.gid).catch(() => undefined); // only root may; best effort
      }
    }
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  throwIfCancelled(temp);
}

async function linkToFreeName(temp: TempFile, target: string): Promise<string> {
  const ext = path.extname(target);
  const stem = ext ? target.slice(0, -ext.length) : target;
  for (let n = 1; n <= MAX_NAME_ATTEMPTS; n += 1) {
    throwIfCancelled(temp);
    const candidate = n === 1 ? target : `${stem}-${n}${ext}`;
    try {
      await fs.link(temp.path, candidate);
      return candidate;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (!hardLinksUnsupported(code)) throw error;
    }
    // Some file systems (FAT, a few network mounts) have no hard links. An exclusive copy still never
    // overwrites, though a crash mid-copy could leave a partial file there.
    try {
      await fs.copyFile(temp.path, candidate, fsConstants.COPYFILE_EXCL);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new RunError(`${target}: ${MAX_NAME_ATTEMPTS} files with this name already exist`, {
    hint: 'Choose another title or output folder, or pass --force to overwrite.',
  });
}

function hardLinksUnsupported(code: string | undefined): boolean {
  return code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS' || code === 'EXDEV';
}

function describeFsError(error: unknown, where: string): DraftError {
  if (error instanceof DraftError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const options = { cause: error };
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new UsageError(`${where}: permission denied`, {
        ...options,
        hint: 'Check that you can write to this folder.',
        code: 'permission-denied',
      });
    case 'EROFS':
      return new UsageError(`${where}: the file system is read-only`, { ...options, hint: 'Write to another folder.', code: 'read-only' });
    case 'ENOTDIR':
    case 'EEXIST':
      return new UsageError(`${where}: part of this path is a file, not a folder`, {
        ...options,
        hint: 'Choose another output folder.',
      });
    case 'EISDIR':
      return new UsageError(`${where}: is a directory`, { ...options, hint: 'Choose another file name.' });
    case 'ENOSPC':
    case 'EDQUOT':
      return new RunError(`${where}: no space left on the device`, {
        ...options,
        hint: 'Free some disk space and retry.',
        code: 'disk-full',
      });
    default: {
      const reason = error instanceof Error ? error.message : String(error);
      return new RunError(`${where}: could not write the file (${reason})`, { ...options, hint: 'Check the path and retry.' });
    }
  }
}
