import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../src/core/document/front-matter.js';
import { readMachineState } from '../src/core/document/machine-state.js';
import { drafter, writePost } from './fixtures/revise/harness.js';
import { lastUserMessage, requestKind } from './support/scripted-model.js';
import { seedNewArgs } from './support/seed-brief.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-language-');
const draft = drafter(server, tempDir);

const prompts = (kind: string) =>
  server()
    .requests.filter((r) => requestKind(r) === kind)
    .map(lastUserMessage);

describe("the post's language", () => {
  it('--language reaches every outline and section request, and the state', async () => {
    const result = await draft([...seedNewArgs(), '--sections', '2', '--language', 'en-gb', '--yes', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const sent = [...prompts('outline'), ...prompts('section')];
    expect(sent.length).toBeGreaterThan(2);
    for (const prompt of sent) expect(prompt).toContain('Language: write in British English (en-GB), with its spelling and punctuation.');
    const text = await readFile(JSON.parse(result.stdout).path, 'utf8');
    expect(readMachineState(parseSource(text, 'x').data)?.brief?.language).toBe('en-GB');
  });

  it(
    'the config gives the language when the brief does not, and ' + 'frontMatter.languageKey writes it up top; revise keeps asking for it',
    async () => {
      await writePost(tempDir(), 'draft.config.json', JSON.stringify({ language: 'de', frontMatter: { languageKey: 'lang' } }));
      const result = await draft([...seedNewArgs(), '--sections', '2', '--yes', '--json']);
      expect(result.code, result.stderr).toBe(0);
      expect(prompts('section')[0]).toContain('Language: write in German (de)');
      const path = JSON.parse(result.stdout).path as string;
      expect(parseSource(await readFile(path, 'utf8'), 'x').data.lang).toBe('de');

      const revised = await draft(['revise', path, '--instruction', 'shorter', '--section', 'introduction', '--yes']);
      expect(revised.code, revised.stderr).toBe(0);
      expect(prompts('revise')[0]).toContain('Language: write in German (de)');
    },
  );

  it('without a language nothing is said about one', async () => {
    const result = await draft([...seedNewArgs(), '--sections', '2', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    for (const prompt of prompts('section')) expect(prompt).not.toContain('Language:');
  });

  it('a tag that is not BCP 47 is refused before anything is sent, by flag and by config field', async () => {
    const flag = await draft([...seedNewArgs(), '--language', 'english!', '--yes']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--language must be a BCP 47 language tag such as en-GB, de or es');
    await writePost(tempDir(), 'draft.config.json', JSON.stringify({ language: 'not a tag' }));
    const config = await draft([...seedNewArgs(), '--yes']);
    expect(config.code).toBe(2);
    expect(config.stderr).toMatch(/draft\.config\.json: language must be a BCP 47 language tag/);
    expect(server().requests).toHaveLength(0);
  });
});

describe('batch manifests', () => {
  it('a brief in a manifest can name its language', async () => {
    await writePost(tempDir(), 'briefs.yaml', 'briefs:\n  - id: es-post\n    topic: La IA en España\n    sections: 2\n    language: es\n');
    const result = await draft(['batch', 'briefs.yaml']);
    expect(result.code, result.stderr).toBe(0);
    expect(prompts('outline')[0]).toContain('Language: write in Spanish (es)');
    const text = await readFile(join(tempDir(), 'drafts', 'es-post.md'), 'utf8');
    expect(readMachineState(parseSource(text, 'x').data)?.brief?.language).toBe('es');
  });
});
