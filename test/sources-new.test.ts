/**
 * Grounded drafting, in-process through `draft new` against the scripted model and a real page server:
 * sources in, citations out as links, every figure traced, the untraced ones shown everywhere the editor
 * looks, and a re-run that works with the page server gone.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runNew } from '../src/commands/new.js';
import { parseSource } from '../src/core/document/front-matter.js';
import { findNotesBlock } from '../src/core/document/notes-block.js';
import { runCommand } from './support/run-command.js';
import { startPageServer, type PageServer } from './support/page-server.js';
import { scriptedModel } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-sources-new-');
const KEY = 'sk-test-sources-0123456789';
let pages: PageServer;
beforeEach(async () => {
  pages = await startPageServer();
});
afterEach(() => pages.close());

async function draftNew(flags: Record<string, unknown>) {
  const result = await runCommand(
    (ctx) =>
      runNew(
        { yes: true, json: true, baseUrl: server().url, retries: '0', timeout: '5', sections: '2', allowPrivateSources: true, ...flags },
        ctx,
      ),
    { cwd: tempDir(), env: { OPENAI_API_KEY: KEY } },
  );
  const json = JSON.parse(result.stdout);
  return { ...result, json, text: await readFile(json.path, 'utf8') };
}

const errorOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as Error & { exitCode: number; code: string },
  );

describe('draft new --source', () => {
  it('a draft from two sources cites both, as links, and traces the seed’s figures to them', async () => {
    const { json, text, stderr } = await draftNew({
      topic: 'DeepSeek and Nvidia',
      source: [`${pages.url}/market`, `${pages.url}/benchmarks`],
    });
    // Both sources' figures are quoted and cited as links to the pages, never as bare numbers.
    expect(text).toContain(`([Nvidia loses $593 billion as DeepSeek rattles markets](${pages.url}/market))`);
    expect(text).toMatch(/\(\[DeepSeek-R1 benchmark results[^\]]*\]\(http:\/\/127\.0\.0\.1:\d+\/benchmarks\)\)/);
    expect(text).not.toMatch(/\[\d\]/);
    expect(json.sources.map((s: any) => s.title)).toEqual([
      'Nvidia loses $593 billion as DeepSeek rattles markets',
      expect.stringMatching(/^DeepSeek-R1 benchmark results/),
    ]);
    expect(json.figures.total).toBeGreaterThan(0);
    expect(json.figures.untraced).toEqual([]);
    expect(stderr).toMatch(/figures\s+\d+, all traced/);

    const src = parseSource(text, 'post.md');
    const state = src.data.draft_state as any;
    expect(state.sources.map((s: any) => [s.location, s.sha256.length])).toEqual([
      [`${pages.url}/market`, 64],
      [`${pages.url}/benchmarks`, 64],
    ]);
    const notes = text.slice(findNotesBlock(src.body)!.start + text.indexOf(src.body));
    expect(notes).toContain('2 sources for the post');
    expect(notes).toMatch(/Cited “Nvidia loses \$593 billion as DeepSeek rattles markets” in /);
    expect(notes).toMatch(/Traced all \d+ figures/);

    // The section prompts carried numbered excerpts within budget, and the outline a digest of each source.
    const outlinePrompt = JSON.stringify(server().requests[0]!.body);
    expect(outlinePrompt).toContain('Sources the editor provided');
    const sectionPrompts = server()
      .requests.slice(1)
      .map((r) => JSON.stringify(r.body));
    expect(sectionPrompts.every((p) => p.includes('[1] (from'))).toBe(true);
  });

  it('an invented figure is flagged in the summary, --json and the notes', async () => {
    server().setHandler(scriptedModel({ inventFigure: 'always' }));
    const { json, text, stderr } = await draftNew({ topic: 'DeepSeek and Nvidia', source: [`${pages.url}/market`] });
    expect(json.figures.untraced).toEqual([{ text: '42%', section: null, line: expect.any(Number) }]);
    const line = text.split('\n')[json.figures.untraced[0].line - 1];
    expect(line).toContain('42% rise');
    expect(stderr).toMatch(/1 to verify:\n\s+42% \(introduction, line \d+\)/);
    expect(text).toContain('1 figure in this post could not be traced to a source the editor provided');
  });

  it('with no sources every figure is "not from a source"', async () => {
    server().setHandler(scriptedModel({ inventFigure: 'always' }));
    const { json, text } = await draftNew({ topic: 'Chips' });
    expect(json.sources).toEqual([]);
    expect(json.figures.untraced.map((f: any) => f.text)).toEqual(['42%']);
    expect(text).toContain('1 figure in this post is not from a source: no sources were provided');
  });

  it('--strict-sources redrafts the section once, and fails without writing when a figure stays untraced', async () => {
    server().setHandler(scriptedModel({ inventFigure: 'once' }));
    const fixed = await draftNew({ topic: 'Chips', source: [`${pages.url}/market`], strictSources: true });
    expect(fixed.json.figures.untraced).toEqual([]);
    const redraft = server().requests.filter((r) => JSON.stringify(r.body).includes('Your previous draft of this part used figures'));
    expect(redraft).toHaveLength(1);
    expect(JSON.stringify(redraft[0]!.body)).toContain('42%');

    server().setHandler(scriptedModel({ inventFigure: 'always' }));
    const before = await readdir(join(tempDir(), 'drafts'));
    const error = await errorOf(draftNew({ topic: 'Chips again', source: [`${pages.url}/market`], strictSources: true }));
    expect(error).toMatchObject({ exitCode: 1, code: 'figures-untraced', message: expect.stringContaining('42% (introduction)') });
    expect(await readdir(join(tempDir(), 'drafts'))).toEqual(before);
  });

  it('without --allow-private-sources a loopback URL is refused, with zero model requests', async () => {
    const error = await errorOf(draftNew({ topic: 'Chips', source: [`${pages.url}/market`], allowPrivateSources: undefined }));
    expect(error).toMatchObject({ exitCode: 2, code: 'source-refused', message: expect.stringContaining('private or loopback') });
    expect(server().requests).toHaveLength(0);
    expect(pages.requests).toHaveLength(0);
  });

  it('a bad source is named before any model request; --skip-bad-sources drafts without it and says so', async () => {
    const bad = `${pages.url}/missing`;
    const error = await errorOf(draftNew({ topic: 'Chips', source: [bad, `${pages.url}/market`] }));
    expect(error).toMatchObject({ exitCode: 1, message: expect.stringContaining(`source ${bad}: the server answered 404`) });
    expect(server().requests).toHaveLength(0);
    const { json } = await draftNew({ topic: 'Chips', source: [bad, `${pages.url}/market`], skipBadSources: true });
    expect(json.sources).toHaveLength(1);
    expect(json.warnings).toContain(`source skipped: source ${bad}: the server answered 404`);
  });

  it('a re-run works with the page server stopped, from the snapshot', async () => {
    const first = await draftNew({ topic: 'Chips', source: [`${pages.url}/market`] });
    await pages.close();
    const again = await draftNew({ topic: 'Chips', source: [`${pages.url}/market`] });
    expect(again.json.sources[0].sha256).toBe(first.json.sources[0].sha256);
    expect(again.text).toContain(`(${pages.url}/market)`);
    pages = await startPageServer(); // for afterEach
  });

  it('citations: footnotes in the config gives [^n] references and a list at the end', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(tempDir(), 'draft.config.json'), JSON.stringify({ sources: { citations: 'footnotes' } }));
    const { text } = await draftNew({ topic: 'Chips', source: [`${pages.url}/market`] });
    expect(text).toContain('[^source-1]');
    expect(text).toContain(`[^source-1]: [Nvidia loses $593 billion as DeepSeek rattles markets](${pages.url}/market)`);
  });
});
