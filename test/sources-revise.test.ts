/** `draft revise --source`: excerpts for the revised part, citations as links, sources recorded, and used again offline. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRevise } from '../src/commands/revise.js';
import { parseSource } from '../src/core/document/front-matter.js';
import { runCommand } from './support/run-command.js';
import { startPageServer, type PageServer } from './support/page-server.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-sources-revise-');
let pages: PageServer;
beforeEach(async () => {
  pages = await startPageServer();
});
afterEach(() => pages.close());

const POST = [
  '---',
  'title: Chips',
  'author: Jane Doe',
  '---',
  '',
  'Intro text.',
  '',
  '## Markets',
  '',
  'Shares moved a lot.',
  '',
  '## Outlook',
  '',
  'Who knows.',
  '',
].join('\n');

async function revise(flags: Record<string, unknown>) {
  const out = await runCommand(
    (ctx) => runRevise('post.md', { yes: true, json: true, baseUrl: server().url, retries: '0', allowPrivateSources: true, ...flags }, ctx),
    { cwd: tempDir(), env: { OPENAI_API_KEY: 'sk-test-sources-revise-0123456789' } },
  );
  return { json: JSON.parse(out.stdout), text: await readFile(join(tempDir(), 'post.md'), 'utf8') };
}

describe('draft revise --source', () => {
  it('sends the part’s excerpts, turns its citations into links, records the source, and traces the figures', async () => {
    await writeFile(join(tempDir(), 'post.md'), POST);
    const { json, text } = await revise({ section: ['Markets'], instruction: 'add the market reaction', source: [`${pages.url}/market`] });
    const prompt = JSON.stringify(server().requests.at(-1)!.body);
    expect(prompt).toContain('[1] (from \\"Nvidia loses $593 billion as DeepSeek rattles markets\\")');
    expect(text).toContain(`Nvidia shares fell 17% on Monday`);
    expect(text).toContain(`([Nvidia loses $593 billion as DeepSeek rattles markets](${pages.url}/market))`);
    // Only the revised section moved.
    expect(text).toContain('\nIntro text.\n\n## Markets\n');
    expect(text).toContain('## Outlook\n\nWho knows.\n');
    const state = parseSource(text, 'post.md').data.draft_state as any;
    expect(state.sources).toEqual([expect.objectContaining({ number: 1, location: `${pages.url}/market`, url: `${pages.url}/market` })]);
    expect(json.figures).toMatchObject({ untraced: [] });
    expect(json.figures.total).toBeGreaterThan(0);
    expect(text).toMatch(/Traced all \d+ figures in this post to a source the editor provided/);
  });

  it('a later revision uses the recorded source from its snapshot, with the page server gone', async () => {
    await writeFile(join(tempDir(), 'post.md'), POST);
    await revise({ section: ['Markets'], instruction: 'add the market reaction', source: [`${pages.url}/market`] });
    await pages.close();
    const { json, text } = await revise({ section: ['Outlook'], instruction: 'what comes next' });
    expect(JSON.stringify(server().requests.at(-1)!.body)).toContain('[1] (from \\"Nvidia loses');
    expect(json.sources.map((s: any) => s.number)).toEqual([1]);
    // Two revisions, two checks in the log; the notes state only the latest, which is true of the post as it is.
    expect(text.match(/Traced all \d+ figures|could not be traced/g)).toHaveLength(1);
    pages = await startPageServer();
  });
});
