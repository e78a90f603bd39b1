import { open } from 'node:fs/promises';
import { UsageError } from '../errors.js';

/** Every GGUF file starts with these four bytes. */
export const GGUF_MAGIC = Buffer.from('GGUF', 'ascii');

export function startsWithGgufMagic(head: Buffer): boolean {
  return head.length >= 4 && head.subarray(0, 4).equals(GGUF_MAGIC);
}

/**
 * Checks that `file` exists, is readable and is GGUF before handing it to llama.cpp, whose own
 * errors for these cases are vague. Returns its size in bytes.
 */
export async function assertGgufFile(file: string, flag = '--model-path'): Promise<number> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UsageError(`${flag}: model file not found: ${file}`, {
        hint: 'check the path, or run `draft models list` to see the models you have',
      });
    }
    if (code === 'EISDIR') {
      throw new UsageError(`${flag}: ${file} is a folder, not a model file`, { hint: 'name the .gguf file itself' });
    }
    throw new UsageError(`${flag}: cannot read ${file} (${code ?? 'unknown error'})`, {
      hint: 'check the file permissions',
    });
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) {
      throw new UsageError(`${flag}: ${file} is a folder, not a model file`, { hint: 'name the .gguf file itself' });
    }
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (!startsWithGgufMagic(head.subarray(0, bytesRead))) {
      throw new UsageError(`${flag}: ${file} is not a GGUF model file`, {
        hint: 'the local engine runs llama.cpp GGUF models (e.g. from `draft models pull`)',
      });
    }
    return info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${flag}: cannot read ${file} (${code ?? 'unknown error'})`, { hint: 'check the file permissions' });
  } finally {
    await handle.close();
  }
}
