import { stat } from 'node:fs/promises';

/**
 * Whether something is at `path`. Only "not there" answers false: a folder we may not read (EACCES)
 * or an I/O error is thrown, so it is never taken as room to write into.
 */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw error;
  }
}
