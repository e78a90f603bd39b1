import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import { readTextFile } from '../src/core/fs/read-text.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'draft-read-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function usageError(path: string): Promise<UsageError> {
  const error = await readTextFile(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  const usage = error as UsageError;
  expect(usage.message.startsWith(path)).toBe(true);
  expect(usage.message).not.toContain('\n');
  expect(usage.hint).toBeTruthy();
  return usage;
}

describe('readTextFile', () => {
  it('returns the text exactly, BOM and CRLF included', async () => {
    const text = '\uFEFF---\r\ntitle: Café\r\n---\r\nBody ☕\r\n';
    expect(await readTextFile(await file('bom.md', text))).toBe(text);
  });

  it('names a missing file', async () => {
    expect((await usageError(join(dir, 'nope.md'))).message).toBe(`${join(dir, 'nope.md')}: no such file`);
  });

  it('refuses a directory', async () => {
    await mkdir(join(dir, 'folder.md'));
    expect((await usageError(join(dir, 'folder.md'))).message).toContain('is a directory');
  });

  it('refuses a binary file', async () => {
    const path = await file('image.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x0d]));
    expect((await usageError(path)).message).toContain('binary');
  });

  it('refuses invalid UTF-8 and says where', async () => {
    // "Café" saved as Latin-1 on line 2.
    const path = await file('latin1.md', new Uint8Array([...Buffer.from('# Title\nCaf'), 0xe9, ...Buffer.from(' au lait\n')]));
    expect((await usageError(path)).message).toBe(`${path}:2:4: not valid UTF-8`);
  });

  it('refuses an empty or whitespace-only file', async () => {
    expect((await usageError(await file('empty.md', ''))).message).toContain('empty');
    expect((await usageError(await file('blank.md', ' \n\t\r\n'))).message).toContain('empty');
    expect((await usageError(await file('bom-only.md', '\uFEFF\n'))).message).toContain('empty');
  });
});
