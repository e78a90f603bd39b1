/**
 * bin/compile-cache.js, the bundle's V8 code cache, as a process sees it: written by a first run,
 * read (not rewritten) by the next, replaced when damaged, pruned to the newest builds, and never in
 * the way: a folder that cannot be written, DRAFT_COMPILE_CACHE=off and --debug all run the same
 * without it. Each test has a cache folder of its own, not the run-wide one of test/support/cli.ts.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './support/cli.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { tempDir } = useServerAndTempDir('draft-compile-cache-');
const { build } = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'compile-cache.json'), 'utf8')) as { build: string };
const FOLDER = `${build}-node${process.version.slice(1)}-${process.arch}`;

const POST = '---\ntitle: A post\ndescription: About things\ndate: 2026-12-01\n---\n\nSome words.\n';

/** `draft check post.md` (offline, and it loads the Markdown chunks) with this cache folder. */
async function check(cacheDir: string, env: Record<string, string | undefined> = {}, extra: string[] = []) {
  writeFileSync(join(tempDir(), 'post.md'), POST);
  const result = await runCli(['check', 'post.md', ...extra], { cwd: tempDir(), env: { DRAFT_COMPILE_CACHE_DIR: cacheDir, ...env } });
  return { code: result.code, stdout: result.stdout, stderr: result.stderr };
}

/** Each cache file's bytes, by name. */
function snapshot(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name)).toString('base64')]));
}

describe('the code cache of the bundle', () => {
  it('is written by a first run and read, unchanged, by the next, which prints the same', async () => {
    const root = join(tempDir(), 'cache');
    const cold = await check(root);
    expect(cold.code, cold.stderr).toBe(0);
    const folder = join(root, FOLDER);
    const files = readdirSync(folder);
    expect(files).toContain('cli.cjs.v8');
    expect(files.some((f) => f.startsWith('chunks~'))).toBe(true);
    expect(
      files.every((f) => f.endsWith('.cjs.v8')),
      files.join(' '),
    ).toBe(true); // no temp file left
    const before = snapshot(folder);

    const warm = await check(root);
    expect(warm).toEqual(cold);
    // V8 took every file: one it refused would have been written again.
    expect(snapshot(folder)).toEqual(before);
  });

  it('a damaged or cut-short file is refused by V8 and written again; the run is the same', async () => {
    const root = join(tempDir(), 'cache');
    const first = await check(root);
    const folder = join(root, FOLDER);
    const cli = join(folder, 'cli.cjs.v8');
    const good = readFileSync(cli);
    writeFileSync(cli, Buffer.alloc(good.length, 7));
    const chunk = readdirSync(folder).find((f) => f.startsWith('chunks~'))!;
    writeFileSync(join(folder, chunk), readFileSync(join(folder, chunk)).subarray(0, 100));

    expect(await check(root)).toEqual(first);
    expect(readFileSync(cli).equals(Buffer.alloc(good.length, 7))).toBe(false);
    expect(statSync(join(folder, chunk)).size).toBeGreaterThan(100);
  });

  it('a folder that cannot be made, DRAFT_COMPILE_CACHE=off and --debug: the same run, no cache written', async () => {
    const plain = await check(join(tempDir(), 'unused'), { DRAFT_COMPILE_CACHE: 'off' });
    expect(plain.code, plain.stderr).toBe(0);
    expect(existsSync(join(tempDir(), 'unused'))).toBe(false);

    writeFileSync(join(tempDir(), 'a-file'), 'not a folder');
    expect(await check(join(tempDir(), 'a-file', 'cache'))).toEqual(plain);

    // --debug maps stack traces through the source maps, which Node does only for what it compiles.
    const debug = await check(join(tempDir(), 'debug'), {}, ['--debug']);
    expect(debug.code, debug.stderr).toBe(0);
    expect(existsSync(join(tempDir(), 'debug'))).toBe(false);
  });

  it('defaults to $XDG_CACHE_HOME/draft/compile, else ~/.cache/draft/compile', async () => {
    const xdg = join(tempDir(), 'xdg');
    expect((await check('', { DRAFT_COMPILE_CACHE_DIR: undefined, XDG_CACHE_HOME: xdg })).code).toBe(0);
    expect(readdirSync(join(xdg, 'draft', 'compile'))).toEqual([FOLDER]);
    expect((await check('', { DRAFT_COMPILE_CACHE_DIR: undefined })).code).toBe(0);
    expect(readdirSync(join(tempDir(), '.cache', 'draft', 'compile'))).toEqual([FOLDER]);
  });

  it('keeps the newest four builds: a new one removes the oldest beyond them', async () => {
    const root = join(tempDir(), 'cache');
    const older = ['a', 'b', 'c', 'd', 'e'].map((name, i) => {
      const dir = join(root, `000000000000000${name}-node${process.version.slice(1)}-${process.arch}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'cli.cjs.v8'), 'old');
      utimesSync(dir, 1_000_000 + i, 1_000_000 + i);
      return dir;
    });
    expect((await check(root)).code).toBe(0);
    expect(readdirSync(root).sort()).toEqual([...older.slice(2).map((d) => d.slice(root.length + 1)), FOLDER].sort());
  });

  it('two first runs at once both succeed, and leave whole files and no temp file', async () => {
    const root = join(tempDir(), 'cache');
    const [a, b] = await Promise.all([check(root), check(root)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b).toEqual(a);
    const files = readdirSync(join(root, FOLDER));
    expect(
      files.every((f) => f.endsWith('.cjs.v8')),
      files.join(' '),
    ).toBe(true);
    expect(await check(root)).toEqual(a);
    expect(snapshot(join(root, FOLDER)).size).toBe(files.length);
  });
});
