/**
 * A sidecar post's revision writes two files; when the post cannot be written, the sidecar written
 * just before it is put back, so both stay byte for byte as they were and history keeps nothing.
 */
import fs from 'node:fs/promises';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runDraft } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-sidecar-fail-');
const env = { OPENAI_API_KEY: 'sk-test-0123456789' };
const model = () => ['--base-url', server().url, '--retries', '0', '--timeout', '5'];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a sidecar revision whose post write fails', () => {
  it('leaves the post and its sidecar as they were, and no history entry or temp file', async () => {
    const site = tempDir();
    await mkdir(join(site, '.git'));
    await writeFile(join(site, 'hugo.toml'), 'title = "Test"\n');
    expect((await runDraft(['init'], { cwd: site, env })).code).toBe(0);
    expect(
      (
        await runDraft(['new', '--yes', '--topic', 'Chip export controls', '--sections', '2', '--words', '300', ...model()], {
          cwd: site,
          env,
        })
      ).code,
    ).toBe(0);
    const [name] = await readdir(join(site, 'content', 'posts'));
    const post = join(site, 'content', 'posts', name!);
    const sidecar = join(site, '.draft', 'state', 'content', 'posts', `${name}.json`);
    const [postBefore, sidecarBefore] = [await readFile(post), await readFile(sidecar)];

    const rename = fs.rename.bind(fs);
    vi.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
      if (String(to) === post) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
      return rename(from, to);
    });
    const revised = await runDraft(['revise', `content/posts/${name}`, '--focus', 'finance', '--yes', ...model()], { cwd: site, env });
    expect(revised.code).not.toBe(0);
    vi.restoreAllMocks();

    expect((await readFile(post)).equals(postBefore)).toBe(true);
    expect((await readFile(sidecar)).equals(sidecarBefore)).toBe(true);
    const history = join(site, '.draft', 'history', 'content', 'posts', `${name}.d`);
    expect(await readdir(history).catch(() => [])).toEqual([]);
    const leftovers = (await readdir(site, { recursive: true })).filter((f) => String(f).endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  });
});
