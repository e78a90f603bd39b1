import { readFile, stat } from 'node:fs/promises';
import { UsageError } from '../errors.js';

/**
 * Reads a post or brief as text, refusing anything that is not a non-empty UTF-8 text file.
 * The text comes back exactly as stored (BOM and CRLF included) so a later write can keep it.
 */
export async function readTextFile(path: string): Promise<string> {
  const bytes = await readBytes(path);
  if (bytes.includes(0)) {
    throw new UsageError(`${path}: looks like a binary file (it contains NUL bytes)`, {
      hint: 'Point draft at a Markdown or plain-text file.',
    });
  }
  let text: string;
  try {
    // ignoreBOM keeps U+FEFF in the string: the caller decides what to do with it.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const { line, column } = firstInvalidUtf8(bytes);
    throw new UsageError(`${path}:${line}:${column}: not valid UTF-8`, {
      hint: 'Re-save the file as UTF-8 in your editor (it may be Latin-1 or UTF-16).',
    });
  }
  if (text.trim() === '') {
    throw new UsageError(`${path}: the file is empty`, { hint: 'Write something in it first, or pick another file.' });
  }
  return text;
}

async function readBytes(path: string): Promise<Buffer> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      throw new UsageError(`${path}: is a directory, not a file`, { hint: 'Give the path of a Markdown file.' });
    }
    if (!info.isFile()) {
      throw new UsageError(`${path}: is not a regular file`, { hint: 'Give the path of a Markdown file.' });
    }
    return await readFile(path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw describeReadError(path, error);
  }
}

function describeReadError(path: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new UsageError(`${path}: no such file`, { hint: 'Check the path and spelling.', cause: error, code: 'file-not-found' });
    case 'ENOTDIR':
      return new UsageError(`${path}: a parent of this path is not a directory`, {
        hint: 'Check the path and spelling.',
        cause: error,
      });
    case 'EISDIR':
      return new UsageError(`${path}: is a directory, not a file`, { hint: 'Give the path of a Markdown file.' });
    case 'EACCES':
    case 'EPERM':
      return new UsageError(`${path}: permission denied`, {
        hint: 'Check the file permissions (you need read access).',
        cause: error,
      });
    default: {
      const reason = error instanceof Error ? error.message : String(error);
      return new UsageError(`${path}: cannot read the file (${reason})`, { hint: 'Check the path.', cause: error });
    }
  }
}

/** Where decoding first fails, as a 1-based line and column (columns in characters), so the user can find the byte. */
function firstInvalidUtf8(bytes: Buffer): { line: number; column: number } {
  // Binary search on prefixes: streaming decode tolerates a sequence cut at the end of the prefix,
  // so a prefix fails exactly when it contains an invalid sequence.
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = (good + bad) >>> 1;
    if (decodes(bytes.subarray(0, mid))) good = mid;
    else bad = mid;
  }
  // `bad` is the shortest failing prefix length, so the invalid byte sits at bad - 1.
  const offset = bad - 1;
  const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
  const line = countByte(bytes, 0x0a, offset) + 1;
  const lead = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(lineStart, offset), { stream: true });
  return { line, column: [...lead].length + 1 };
}

function decodes(prefix: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(prefix, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function countByte(bytes: Buffer, byte: number, end: number): number {
  let count = 0;
  for (let i = 0; i < end; i += 1) if (bytes[i] === byte) count += 1;
  return count;
}
