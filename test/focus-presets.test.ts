import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFocusPreset } from '../src/core/revise/focus-presets.js';
import { drafter, plain, SEED, writePost } from './fixtures/revise/harness.js';
import { lastUserMessage } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-focus-');
const draft = drafter(server, tempDir);
const run = plain(tempDir);

describe('draft focus list', () => {
  it('shows the built-in presets with a one-line description and their origin', async () => {
    const result = await run(['focus', 'list']);
    expect(result.code).toBe(0);
    const rows = result.stdout.split('\n').filter((l) => l.endsWith('(built-in)'));
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(['concise', 'finance', 'general-audience', 'seo', 'technical']);
    expect(rows.find((r) => r.startsWith('finance'))).toMatch(/market reaction, valuations, revenue and costs, competitors, investors/);
  });

  it('a project preset overrides a built-in by name, a user preset adds one, and revise uses their text', async () => {
    await mkdir(join(tempDir(), '.draft', 'focus'), { recursive: true });
    await writeFile(
      join(tempDir(), '.draft', 'focus', 'finance.md'),
      '---\ndescription: Our house finance style\n---\nTalk about EBITDA and nothing else.\n',
    );
    const userDir = join(tempDir(), 'home-config', 'draft', 'focus');
    await mkdir(userDir, { recursive: true });
    await writeFile(join(userDir, 'crypto.md'), '---\ndescription: "Token economics"\n---\nRelate everything to token prices.\n');
    const env = { XDG_CONFIG_HOME: join(tempDir(), 'home-config') };

    const listed = JSON.parse((await run(['focus', 'list', '--json'], { env })).stdout);
    expect(listed.map((p: any) => `${p.name}:${p.origin}`)).toEqual([
      'concise:built-in',
      'crypto:user',
      'finance:project',
      'general-audience:built-in',
      'seo:built-in',
      'technical:built-in',
    ]);
    expect(listed.find((p: any) => p.name === 'crypto').description).toBe('Token economics');

    await writePost(tempDir(), 'post.md', SEED);
    expect((await draft(['revise', 'post.md', '--focus', 'finance', '--section', 'Who', '--yes'], { env })).code).toBe(0);
    expect(lastUserMessage(server().requests[0]!)).toContain('Talk about EBITDA and nothing else.');
    expect(lastUserMessage(server().requests[0]!)).not.toContain('share-price moves');
    expect((await draft(['revise', 'post.md', '--focus', 'crypto', '--section', 'Who', '--yes'], { env })).code).toBe(0);
    expect(lastUserMessage(server().requests[1]!)).toContain('Relate everything to token prices.');

    const unknown = await draft(['revise', 'post.md', '--focus', 'poetry', '--yes'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /unknown focus "poetry"; known focus presets: concise, crypto, finance, general-audience, seo, technical/,
    );
  });
});

describe('focus preset files', () => {
  it('take the description from front matter and the instruction from the body; an empty one is refused', () => {
    const preset = parseFocusPreset('x', '/p/x.md', '\uFEFF---\r\ndescription: One line\r\n---\r\nDo this.\r\nAnd that.\r\n', 'project');
    expect(preset).toMatchObject({ name: 'x', description: 'One line', text: 'Do this.\nAnd that.', origin: 'project' });
    expect(parseFocusPreset('y', '/p/y.md', 'No front matter here.\nSecond line.', 'user').description).toBe('No front matter here.');
    expect(parseFocusPreset('z', '/p/z.md', '---\ndescription: d\n---\n=== user ===\nTemplate-style text.', 'user').text).toBe(
      'Template-style text.',
    );
    expect(() => parseFocusPreset('e', '/p/e.md', '---\ndescription: d\n---\n\n', 'user')).toThrow(/has no instruction text/);
  });
});
