/**
 * `state: "sidecar"` (what `draft init` writes): the log, hashes and usage live in
 * `.draft/state/<path>.json` at the project root and the front matter holds only the site's keys;
 * history, undo (both files, byte for byte), hand edits, notes, check, --rename and the conversion
 * command work as they do with the state in the front matter.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../src/core/document/front-matter.js';
import { runDraft } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-sidecar-');
const env = { OPENAI_API_KEY: 'sk-test-0123456789' };
const draft = (cwd: string, ...args: string[]) => runDraft(args, { cwd, env });
const model = () => ['--base-url', server().url, '--retries', '0', '--timeout', '5'];

/** A Hugo site after `draft init` and one `draft new`: returns the site and the post's path from it. */
async function hugoSite(): Promise<{ site: string; post: string; sidecar: string }> {
  const site = tempDir();
  await mkdir(join(site, '.git'));
  await writeFile(join(site, 'hugo.toml'), 'title = "Test"\n');
  expect((await draft(site, 'init')).code).toBe(0);
  const made = await draft(site, 'new', '--yes', '--topic', 'Chip export controls', '--sections', '2', '--words', '300', ...model());
  expect(made.code, made.stderr).toBe(0);
  const [name] = await readdir(join(site, 'content', 'posts'));
  const post = `content/posts/${name}`;
  return { site, post, sidecar: join(site, '.draft', 'state', `${post}.json`) };
}

const read = (path: string) => readFile(path, 'utf8');
const dataOf = (text: string) => parseSource(text, 'post').data;
const sidecarOf = async (path: string) =>
  JSON.parse(await read(path)) as { post: string; replaces: string | null; history: number | null; state: { log: { action: string }[] } };

describe('state: "sidecar"', () => {
  it('draft new keeps the state out of the front matter, in .draft/state/<path>.json, with the AI disclosure up top', async () => {
    const { site, post, sidecar } = await hugoSite();
    const text = await read(join(site, post));
    expect(text).not.toContain('draft_state');
    const data = dataOf(text);
    expect(Object.keys(data)).toEqual(['title', 'slug', 'date', 'description', 'tags', 'keywords', 'draft', 'ai_disclosure']);
    expect(data.ai_disclosure).toMatchObject({
      mode: 'ai-autonomous',
      digital_source_type: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
    });
    const stored = await sidecarOf(sidecar);
    expect(stored.state.log.map((e) => e.action)).toContain('sections-drafted');
    expect((await draft(site, 'check', post)).code).toBe(0);
  });

  it('a revision changes both files; undo restores both byte for byte; the disclosure follows the log', async () => {
    const { site, post, sidecar } = await hugoSite();
    const [postBefore, sidecarBefore] = [await read(join(site, post)), await read(sidecar)];
    const revised = await draft(site, 'revise', post, '--focus', 'finance', '--yes', ...model());
    expect(revised.code, revised.stderr).toBe(0);
    const text = await read(join(site, post));
    expect(text).not.toContain('draft_state');
    expect(dataOf(text).ai_disclosure).toMatchObject({ mode: 'ai-assisted' });
    const stored = await sidecarOf(sidecar);
    expect(stored.state.log.map((e) => e.action)).toContain('sections-revised');
    expect(stored.history).toBe(1);
    // The notes come from the sidecar's log, so check agrees with them.
    expect((await draft(site, 'check', post)).code).toBe(0);

    const undone = await draft(site, 'undo', post);
    expect(undone.code, undone.stderr).toBe(0);
    expect(await read(join(site, post))).toBe(postBefore);
    expect(await read(sidecar)).toBe(sidecarBefore);
  });

  it('a section edited by hand is recorded as the editor’s work, as with front-matter state', async () => {
    const { site, post, sidecar } = await hugoSite();
    const path = join(site, post);
    const text = await read(path);
    const heading = /^## (?!Collaboration)(.+)$/m.exec(text)![1]!;
    await writeFile(path, text.replace(`## ${heading}\n`, `## ${heading}\n\nA sentence the editor wrote by hand.\n`));
    const revised = await draft(site, 'revise', post, '--link', `Earlier post=https://example.com/earlier`, '--yes', ...model());
    expect(revised.code, revised.stderr).toBe(0);
    const edited = (await sidecarOf(sidecar)).state.log.find((e) => e.action === 'hand-edited') as
      | { details?: { headings?: string[] } }
      | undefined;
    expect(edited?.details?.headings).toEqual([heading]);
  });

  it('draft check reads the sidecar: notes that do not match its log are a problem', async () => {
    const { site, post, sidecar } = await hugoSite();
    const stored = JSON.parse(await read(sidecar));
    stored.state.log.push({ at: '2026-01-01T00:00:00.000Z', actor: 'editor', action: 'revision-requested', details: { focus: 'finance' } });
    await writeFile(sidecar, JSON.stringify(stored, null, 2));
    const checked = await draft(site, 'check', post);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/collaboration notes do not match the log/);
  });

  it(
    'a crash between the sidecar write and the post write: the post still hashes ' +
      'to what the sidecar replaced, so the state before is read from history',
    async () => {
      const { site, post, sidecar } = await hugoSite();
      const before = await read(join(site, post));
      expect((await draft(site, 'revise', post, '--focus', 'finance', '--yes', ...model())).code).toBe(0);
      // As if the post write had never happened: the old post, the new sidecar.
      await writeFile(join(site, post), before);
      expect((await sidecarOf(sidecar)).state.log.map((e) => e.action)).toContain('sections-revised');
      const checked = await draft(site, 'check', post);
      expect(checked.stdout).toBe('');
      expect(checked.code).toBe(0);
      // The next revision starts from the state in effect: one revision in the log, not two.
      expect((await draft(site, 'revise', post, '--focus', 'finance', '--yes', ...model())).code).toBe(0);
      expect((await sidecarOf(sidecar)).state.log.filter((e) => e.action === 'sections-revised')).toHaveLength(1);
    },
  );

  it('draft state move converts a post both ways, byte for byte, and undo takes a move back', async () => {
    const { site, post, sidecar } = await hugoSite();
    const [postBefore, sidecarBefore] = [await read(join(site, post)), await read(sidecar)];
    const moved = await draft(site, 'state', 'move', post, '--to', 'front-matter');
    expect(moved.code, moved.stderr).toBe(0);
    expect(existsSync(sidecar)).toBe(false);
    const inline = await read(join(site, post));
    expect(dataOf(inline).draft_state).toEqual((JSON.parse(sidecarBefore) as { state: unknown }).state);
    expect((await draft(site, 'check', post)).code).toBe(0);
    // Revised in front-matter mode it stays there, whatever the config says.
    expect((await draft(site, 'revise', post, '--focus', 'finance', '--yes', ...model())).code).toBe(0);
    expect(existsSync(sidecar)).toBe(false);
    expect(await read(join(site, post))).toContain('draft_state');
    expect((await draft(site, 'undo', post)).code).toBe(0);
    expect(await read(join(site, post))).toBe(inline);

    expect((await draft(site, 'state', 'move', post, '--to', 'sidecar')).code).toBe(0);
    expect(await read(join(site, post))).toBe(postBefore);
    expect((await sidecarOf(sidecar)).state).toEqual((JSON.parse(sidecarBefore) as { state: unknown }).state);
    expect((await draft(site, 'undo', post)).code).toBe(0);
    expect(await read(join(site, post))).toBe(inline);
    expect(existsSync(sidecar)).toBe(false);
    const again = await draft(site, 'state', 'move', post, '--to', 'front-matter');
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already in the front matter; nothing written/);
  });

  it('--rename moves the sidecar with the post, and undoing it moves both back', async () => {
    const { site, post, sidecar } = await hugoSite();
    const sidecarBefore = await read(sidecar);
    const renamed = await draft(site, 'revise', post, '--title', '--pick', '2', '--rename', '--yes', ...model());
    expect(renamed.code, renamed.stderr).toBe(0);
    const [name] = await readdir(join(site, 'content', 'posts'));
    expect(`content/posts/${name}`).not.toBe(post);
    expect(existsSync(sidecar)).toBe(false);
    const moved = join(site, '.draft', 'state', 'content', 'posts', `${name}.json`);
    expect((await sidecarOf(moved)).state.log.map((e) => e.action)).toContain('title-chosen');
    expect((await draft(site, 'check', `content/posts/${name}`)).code).toBe(0);
    expect((await draft(site, 'undo', `content/posts/${name}`)).code).toBe(0);
    expect(await read(sidecar)).toBe(sidecarBefore);
    expect(existsSync(moved)).toBe(false);
  });

  it('draft publish keeps the sidecar current and writes the disclosure; --strip-state moves front-matter state out', async () => {
    const { site, post, sidecar } = await hugoSite();
    const published = await draft(site, 'publish', post, '--yes');
    expect(published.code, published.stderr).toBe(0);
    expect((await sidecarOf(sidecar)).state.log.at(-1)!.action).toBe('published');
    expect(dataOf(await read(join(site, post)))).toMatchObject({ draft: false, ai_disclosure: { mode: 'ai-autonomous' } });

    expect((await draft(site, 'undo', post)).code).toBe(0);
    expect((await draft(site, 'state', 'move', post, '--to', 'front-matter')).code).toBe(0);
    const stripped = await draft(site, 'publish', post, '--yes', '--strip-state');
    expect(stripped.code, stripped.stderr).toBe(0);
    expect(await read(join(site, post))).not.toContain('draft_state');
    expect((await sidecarOf(sidecar)).state.log.at(-1)!.action).toBe('published');
  });
});
