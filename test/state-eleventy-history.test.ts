/**
 * Issue 8: a default Eleventy 3 build published `posts/.draft/history/<post>.md/NNNN.snapshot`, every
 * earlier version of every revised post, because it treats a folder named `*.md` as a template. These
 * tests revise posts in a tiny real Eleventy site and build it with Eleventy's own CLI.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runHistory } from '../src/commands/history.js';
import { runRevise } from '../src/commands/revise.js';
import { runUndo } from '../src/commands/undo.js';
import { KEY, SEED } from './fixtures/revise/harness.js';
import { REPO_ROOT } from './support/cli.js';
import { runCommand } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-state-11ty-');
const ELEVENTY = join(REPO_ROOT, 'node_modules', '@11ty', 'eleventy', 'cmd.cjs');
const POST = 'posts/2026/post.md';

const inSite = (command: Parameters<typeof runCommand>[0]) => runCommand(command, { cwd: tempDir(), env: { OPENAI_API_KEY: KEY } });
const provider = () => ({ yes: true, baseUrl: server().url, retries: '0', timeout: '5' });

async function site(): Promise<string> {
  await writeFile(join(tempDir(), 'package.json'), '{"name":"blog","private":true}\n');
  await mkdir(join(tempDir(), 'posts', '2026'), { recursive: true });
  await writeFile(join(tempDir(), POST), SEED);
  return join(tempDir(), POST);
}

async function reviseTwice(): Promise<void> {
  await inSite((ctx) => runRevise(POST, { ...provider(), section: ['The Market'], focus: 'finance' }, ctx));
  await inSite((ctx) => runRevise(POST, { ...provider(), addSection: 'Market analysis' }, ctx));
}

/** A default build (input `.`, output `_site`), as `npx @11ty/eleventy` runs it; every file it wrote. */
async function build(): Promise<string[]> {
  await rm(join(tempDir(), '_site'), { recursive: true, force: true });
  await promisify(execFile)(process.execPath, [ELEVENTY, '--quiet'], {
    cwd: tempDir(),
    env: { PATH: process.env.PATH ?? '', HOME: tempDir() },
  });
  return walk(join(tempDir(), '_site'));
}

async function walk(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path, base)));
    else out.push(relative(base, path));
  }
  return out.sort();
}

const isDir = (path: string) =>
  stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );

describe('history is kept at the project root, out of the published site', () => {
  it('a post revised twice in an Eleventy site: the build holds the post and nothing from .draft/', async () => {
    const path = await site();
    await reviseTwice();
    expect(await readFile(path, 'utf8')).toContain('## Market analysis');

    // At the root (package.json), keyed by the path from there, in a folder whose name is not *.md.
    const dir = join(tempDir(), '.draft', 'history', 'posts', '2026', 'post.md.d');
    expect((await readdir(dir)).sort()).toEqual(['0001.json', '0001.snapshot', '0002.json', '0002.snapshot']);
    expect(await readFile(join(dir, '0001.snapshot'), 'utf8')).toBe(SEED);
    expect(await isDir(join(tempDir(), 'posts', '2026', '.draft'))).toBe(false);

    expect(await build()).toEqual(['posts/2026/post/index.html']);
  });

  it('the old layout leaked into the build; it is moved to the root on first use and the build is clean', async () => {
    const path = await site();
    await reviseTwice();
    const v2 = await readFile(path);
    // The layout of earlier versions: history and a proposal in the post's own folder.
    const legacy = join(tempDir(), 'posts', '2026', '.draft');
    await mkdir(join(legacy, 'history'), { recursive: true });
    await rename(join(tempDir(), '.draft', 'history', 'posts', '2026', 'post.md.d'), join(legacy, 'history', 'post.md'));
    await mkdir(join(legacy, 'proposed'));
    await writeFile(join(legacy, 'proposed', 'post.md'), 'an unapproved revision\n');
    await writeFile(join(legacy, 'proposed', 'post-2.md'), 'a second unapproved revision\n');
    await writeFile(join(legacy, 'proposed', 'post-3.md'), 'the proposal for posts/2026/post-3.md\n');
    await writeFile(join(tempDir(), 'posts', '2026', 'post-3.md'), '# Another post\n');

    const leaked = await build();
    expect(leaked).toContain('posts/2026/.draft/history/post.md/0001.snapshot');
    expect(leaked).toContain('posts/2026/.draft/proposed/post/index.html');

    const { stdout } = await inSite((ctx) => runHistory(POST, { json: true }, ctx));
    const history = JSON.parse(stdout);
    expect(history.dir).toBe(join(tempDir(), '.draft', 'history', 'posts', '2026', 'post.md.d'));
    expect(history.entries.map((e: any) => `${e.id}:${e.action}`)).toEqual(['1:revise', '2:revise']);
    expect(await isDir(join(legacy, 'history'))).toBe(false);
    // This post's proposal moved too (under a name no generator renders); another post's stays.
    const proposed = join(tempDir(), '.draft', 'proposed', 'posts', '2026');
    expect(await readFile(join(proposed, 'post.md.proposed'), 'utf8')).toBe('an unapproved revision\n');
    expect(await readFile(join(proposed, 'post.md-2.proposed'), 'utf8')).toBe('a second unapproved revision\n');
    // `post-3.md` is a post of its own, so that proposal is its, not this post's.
    expect((await readdir(legacy, { recursive: true })).sort()).toEqual(['proposed', join('proposed', 'post-3.md')]);

    await rm(legacy, { recursive: true });
    expect(await build()).toEqual(['posts/2026/post-3/index.html', 'posts/2026/post/index.html']);

    // The moved history still works: undo takes back the second revision, byte for byte.
    await inSite((ctx) => runUndo(POST, {}, ctx));
    expect(await readFile(path)).not.toEqual(v2);
    expect(await readFile(path, 'utf8')).not.toContain('## Market analysis');
  });

  it('history in both the old and the new place is refused before the model is asked, naming both', async () => {
    const path = await site();
    await reviseTwice();
    const v2 = await readFile(path);
    const legacy = join(tempDir(), 'posts', '2026', '.draft', 'history', 'post.md');
    await mkdir(legacy, { recursive: true });
    await writeFile(join(legacy, '0001.snapshot'), 'an old version\n');
    const requests = server().requests.length;
    const error = await inSite((ctx) => runRevise(POST, { ...provider(), section: ['Who is'] }, ctx)).catch((e: unknown) => e);
    expect(String(error)).toContain(
      `post.md has history in both ${legacy} (old layout) and ${join(tempDir(), '.draft', 'history', 'posts', '2026', 'post.md.d')}`,
    );
    expect(server().requests.length).toBe(requests);
    expect(await readFile(path)).toEqual(v2);
    expect(await readdir(legacy)).toEqual(['0001.snapshot']);
  });

  it('the last of a post’s old .draft folders is removed once its history has moved', async () => {
    await site();
    await reviseTwice();
    const legacy = join(tempDir(), 'posts', '2026', '.draft');
    await mkdir(join(legacy, 'history'), { recursive: true });
    await rename(join(tempDir(), '.draft', 'history', 'posts', '2026', 'post.md.d'), join(legacy, 'history', 'post.md'));
    await inSite((ctx) => runHistory(POST, {}, ctx));
    // Gone from the site's tree (the builds above show what a leftover .draft folder would publish).
    expect(await isDir(legacy)).toBe(false);
    expect(await isDir(join(tempDir(), 'posts', '2026'))).toBe(true);
  });
});
