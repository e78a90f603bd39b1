import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InterruptedError, RunError, UsageError } from '../src/core/errors.js';
import { cleanupTempFilesSync, replaceFile, writeNewFile } from '../src/core/fs/atomic-write.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'draft-write-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fs.rm(dir, { recursive: true, force: true });
});

const listing = async (folder = dir): Promise<string[]> => (await fs.readdir(folder)).sort();
const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: simulated`), { code });

describe('writeNewFile', () => {
  it('creates the folder and returns the absolute path', async () => {
    const out = join(dir, 'drafts', 'nested');
    const path = await writeNewFile(out, 'post.md', 'hello\n', {});
    expect(path).toBe(join(out, 'post.md'));
    expect(await fs.readFile(path, 'utf8')).toBe('hello\n');
    expect(await listing(out)).toEqual(['post.md']);
  });

  it('never overwrites: the name gets -2, -3 …', async () => {
    const paths = [];
    for (const text of ['one', 'two', 'three']) paths.push(await writeNewFile(dir, 'post.md', text, {}));
    expect(paths.map((p) => basename(p))).toEqual(['post.md', 'post-2.md', 'post-3.md']);
    expect(await fs.readFile(join(dir, 'post.md'), 'utf8')).toBe('one');
    expect(await fs.readFile(join(dir, 'post-3.md'), 'utf8')).toBe('three');
  });

  it('gives concurrent writers of the same name distinct files, losing none', async () => {
    const texts = ['a', 'b', 'c', 'd', 'e'].map((x) => `draft ${x}\n`);
    const paths = await Promise.all(texts.map((text) => writeNewFile(dir, 'same.md', text, {})));
    expect(new Set(paths).size).toBe(5);
    expect(await listing()).toEqual(['same-2.md', 'same-3.md', 'same-4.md', 'same-5.md', 'same.md']);
    const written = await Promise.all(paths.map((p) => fs.readFile(p, 'utf8')));
    expect(written.sort()).toEqual(texts);
  });

  it('overwrites with force, atomically', async () => {
    await writeNewFile(dir, 'post.md', 'old', {});
    const path = await writeNewFile(dir, 'post.md', 'new', { force: true });
    expect(path).toBe(join(dir, 'post.md'));
    expect(await fs.readFile(path, 'utf8')).toBe('new');
    expect(await listing()).toEqual(['post.md']);
  });

  it.each(['../escape.md', '/etc/escape.md', '.', 'sub/../../escape.md'])('refuses %j as a file name', async (name) => {
    await expect(writeNewFile(dir, name, 'x', {})).rejects.toThrow(UsageError);
    expect(await listing()).toEqual([]);
  });

  it('uses a hidden .tmp file next to the target', async () => {
    const link = vi.spyOn(fs, 'link');
    await writeNewFile(dir, 'post.md', 'x', {});
    const temp = String(link.mock.calls[0]?.[0]);
    expect(dirname(temp)).toBe(dir);
    expect(basename(temp)).toMatch(/^\.post\.md\..*\.tmp$/);
  });

  it('leaves no temp file when the final step fails', async () => {
    vi.spyOn(fs, 'link').mockRejectedValue(errno('EIO'));
    const error = await writeNewFile(dir, 'post.md', 'x', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).message).toBe(`${join(dir, 'post.md')}: could not write the file (EIO: simulated)`);
    expect(await listing()).toEqual([]);

    vi.spyOn(fs, 'rename').mockRejectedValue(errno('ENOSPC'));
    await expect(writeNewFile(dir, 'post.md', 'x', { force: true })).rejects.toThrow('no space left');
    expect(await listing()).toEqual([]);
  });

  it('falls back to an exclusive copy where hard links are not supported', async () => {
    vi.spyOn(fs, 'link').mockRejectedValue(errno('EPERM'));
    await fs.writeFile(join(dir, 'post.md'), 'existing');
    const path = await writeNewFile(dir, 'post.md', 'fresh', {});
    expect(basename(path)).toBe('post-2.md');
    expect(await fs.readFile(join(dir, 'post.md'), 'utf8')).toBe('existing');
    expect(await fs.readFile(path, 'utf8')).toBe('fresh');
    expect(await listing()).toEqual(['post-2.md', 'post.md']);
  });

  it('gives up and removes its temp file when cleanup runs mid-write', async () => {
    const realLink = fs.link.bind(fs);
    let removed: string[] = [];
    vi.spyOn(fs, 'link').mockImplementation(async (from, to) => {
      removed = cleanupTempFilesSync(); // what the SIGINT handler does
      return realLink(from, to);
    });
    await expect(writeNewFile(dir, 'post.md', 'x', {})).rejects.toThrow(InterruptedError);
    expect(removed).toHaveLength(1);
    expect(basename(removed[0]!)).toMatch(/^\..*\.tmp$/);
    expect(await listing()).toEqual([]);
  });

  it('leaves nothing behind when a real SIGTERM interrupts a write', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./fixtures/atomic-write-child.ts', import.meta.url)), dir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('in-flight')) resolve();
      });
      void exited.then(() => reject(new Error(`child exited early: ${stderr}`)));
    });
    const during = await listing();
    expect(during).toHaveLength(1);
    expect(during[0]).toMatch(/^\.post\.md\..*\.tmp$/);
    child.kill('SIGTERM');
    expect(await exited).toBe(130);
    expect(await listing()).toEqual([]);
  });
});

describe('replaceFile', () => {
  it('replaces the content and keeps the permission bits', async () => {
    const path = join(dir, 'post.md');
    await fs.writeFile(path, 'old');
    await fs.chmod(path, 0o640);
    await replaceFile(path, 'new\r\n');
    expect(await fs.readFile(path, 'utf8')).toBe('new\r\n');
    expect((await fs.stat(path)).mode & 0o777).toBe(0o640);
    expect(await listing()).toEqual(['post.md']);
  });

  it('writes through a symlink, keeping the link', async () => {
    const real = join(dir, 'real.md');
    const link = join(dir, 'link.md');
    await fs.writeFile(real, 'old');
    await fs.symlink(real, link);
    await replaceFile(link, 'new');
    expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(real, 'utf8')).toBe('new');
  });

  it('leaves the old file and no temp when the rename fails', async () => {
    const path = join(dir, 'post.md');
    await fs.writeFile(path, 'old');
    vi.spyOn(fs, 'rename').mockRejectedValue(errno('EIO'));
    await expect(replaceFile(path, 'new')).rejects.toThrow(RunError);
    expect(await fs.readFile(path, 'utf8')).toBe('old');
    expect(await listing()).toEqual(['post.md']);
  });
});
