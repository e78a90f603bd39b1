import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { bytes, drafter, listDir, SEED, splitYaml, text, writePost } from './fixtures/revise/harness.js';
import { lastUserMessage, requestKind, scriptedModel } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-revise-safe-');
const draft = drafter(server, tempDir);

describe('the file on disk is never lost', () => {
  it('refuses to overwrite a file an editor saved while the model was working, and keeps the proposal', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    // The editor saves while the model is working: after the request arrives, before its reply.
    const model = scriptedModel();
    server().setHandler(async (req, index) => {
      await appendFile(path, '\nA line the editor added meanwhile.\n');
      return model(req, index);
    });
    const result = await draft(['revise', 'post.md', '--focus', 'finance', '--section', 'The Market Fallout', '--yes']);
    const edited = await bytes(path);
    expect(edited.toString('utf8')).toContain('A line the editor added meanwhile.');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /error: post\.md changed on disk while the model was working, so it was not overwritten; the proposed revision is in .*\.draft\/proposed\/post\.md\.proposed/,
    );
    expect(await bytes(path)).toEqual(edited);
    const proposal = await text(join(tempDir(), '.draft', 'proposed', 'post.md.proposed'));
    expect(proposal).toContain('Revised with the finance focus');
    expect(proposal).not.toContain('A line the editor added meanwhile.');
    expect(await listDir(join(tempDir(), '.draft', 'history'))).toEqual([]);
  });
});

describe('a hand-written Hugo post: TOML front matter, CRLF, BOM and shortcodes', () => {
  const HUGO = [
    '+++',
    'title = "Chips, Money and DeepSeek"',
    'date = 2024-03-05T10:00:00Z',
    'tags = ["ai", "markets"] # keep this comment',
    'draft = true',
    '',
    '[params]',
    '  hero = "deepseek.png"',
    '+++',
    '',
    'Intro with {{< figure src="chart.png" caption="Nvidia, 27 January" >}} in it.',
    '',
    '## The Sell-Off',
    '',
    'Nvidia lost 17% in a day. {{% note %}}Figures as reported.{{% /note %}}',
    '',
    '## The Competitors',
    '',
    'AMD and Broadcom fell too.',
    '',
  ].join('\r\n');
  const SOURCE = `\uFEFF${HUGO}`;

  it('revises one section; the BOM, CRLF, TOML bytes, other sections and shortcodes survive', async () => {
    const path = await writePost(tempDir(), 'hugo.md', SOURCE);
    const result = await draft(['revise', 'hugo.md', '--section', 'the sell', '--focus', 'finance', '--yes']);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    // The shortcode reached the model as written (no template expansion).
    expect(lastUserMessage(server().requests[0]!)).toContain('{{% note %}}Figures as reported.{{% /note %}}');

    const raw = await bytes(path);
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const after = raw.toString('utf8');
    expect(after.replace(/\r\n/g, '')).not.toContain('\n'); // CRLF throughout, new text included
    // Every TOML line the author wrote is still there, byte for byte, in order, before the tool's table.
    const authored = SOURCE.slice(0, SOURCE.indexOf('+++', 3));
    expect(after.startsWith(authored)).toBe(true);
    expect(after).toContain('\r\n[draft_state]\r\n');
    // The body up to the revised text, and the other section, are untouched.
    const bodyStart = SOURCE.indexOf('+++', 3);
    const untilRevised = SOURCE.slice(bodyStart, SOURCE.indexOf('Nvidia lost'));
    expect(after).toContain(untilRevised);
    expect(after).toContain(
      'Nvidia lost 17% in a day. {{% note %}}Figures as reported.{{% /note %}}\r\n\r\nRevised with the finance focus',
    );
    expect(after).toContain('\r\n## The Competitors\r\n\r\nAMD and Broadcom fell too.\r\n\r\n<!-- draft:collaboration-notes -->\r\n');
    expect(after).toContain('wrote this post by hand; the editor directed revisions and the AI (gpt-4o-mini) drafted them.');
  });

  it('on the next revision, a section changed by hand is recorded as the editor’s work, by heading', async () => {
    const path = await writePost(tempDir(), 'hugo.md', SOURCE);
    expect((await draft(['revise', 'hugo.md', '--section', 'The Sell-Off', '--focus', 'finance', '--yes'])).code).toBe(0);
    const first = await readFile(path, 'utf8');
    await writePost(tempDir(), 'hugo.md', first.replace('AMD and Broadcom fell too.', 'AMD and Broadcom fell too, by 6% and 17%.'));

    const result = await draft(['revise', 'hugo.md', '--section', 'The Sell-Off', '--instruction', 'add the date', '--yes']);
    expect(result.code).toBe(0);
    const after = await readFile(path, 'utf8');
    expect(after).toContain('AMD and Broadcom fell too, by 6% and 17%.');
    const actions = [...after.matchAll(/^action = "(.+)"\r$/gm)].map((m) => m[1]);
    expect(actions).toEqual([
      'hand-written',
      'revision-requested',
      'sections-revised',
      'hand-edited',
      'revision-requested',
      'sections-revised',
    ]);
    expect(after).toContain('- Edits by hand to “The Competitors”.\r\n');
    expect(after.match(/<!-- draft:collaboration-notes -->/g)).toHaveLength(1);
  });
});

describe('a post written by draft new', () => {
  it('detects the editor’s hand edits by heading and regenerates the notes in place', async () => {
    const created = await draft(['new', '--topic', 'DeepSeek and the markets', '--author', 'Manolo', '--json']);
    expect(created.code).toBe(0);
    const path = JSON.parse(created.stdout).path as string;
    const original = await readFile(path, 'utf8');
    await writeFile(path, original.replace(/(## Part 3: The Competitors\n\n)/, '$1The editor wrote this paragraph by hand.\n\n'));
    server().requests.length = 0;

    const result = await draft(['revise', path, '--section', 'Part 1', '--focus', 'finance', '--yes']);
    expect(result.code).toBe(0);
    expect(server().requests.map(requestKind)).toEqual(['revise']);
    const after = await readFile(path, 'utf8');
    const data = parseYaml(splitYaml(after).frontMatter.slice(4, -4));
    const actions = data.draft_state.log.map((e: any) => `${e.actor}:${e.action}`);
    expect(actions.slice(-3)).toEqual(['editor:hand-edited', 'editor:revision-requested', 'ai:sections-revised']);
    expect(data.draft_state.log.at(-3).details).toEqual({ headings: ['Part 3: The Competitors'] });
    expect(actions).not.toContain('editor:hand-written');
    expect(data.draft_state.usage.requests).toBe(8); // 7 to draft it + 1 to revise
    expect(after).toContain('- Edits by hand to “Part 3: The Competitors”.');
    expect(after.match(/<!-- draft:collaboration-notes -->/g)).toHaveLength(1);
    expect(after.match(/^## Collaboration notes$/gm)).toHaveLength(1);
  });
});
