import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runInit } from '../src/commands/init.js';
import { runNew } from '../src/commands/new.js';
import { loadConfigFile } from '../src/core/config.js';
import { runCommand } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-site-init-');
const env = { OPENAI_API_KEY: 'sk-test-0123456789' };
const init = (cwd: string, options: Record<string, unknown> = {}) => runCommand((ctx) => runInit(options, ctx), { cwd, env: {} });
const draftNew = (cwd: string) =>
  runCommand(
    (ctx) =>
      runNew(
        { yes: true, topic: 'Chip export controls', sections: '1', words: '150', baseUrl: server().url, retries: '0', timeout: '5' },
        ctx,
      ),
    { cwd, env },
  );
const frontMatterOf = (text: string) => parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(text)![1]!) as Record<string, unknown>;

const ASTRO_CONFIG = `import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';
// the blog
const blog = defineCollection({
  loader: glob({ base: './src/content/blog', pattern: '**/*.{md,mdx}' }),
  schema: ({ image }) => z.object({
    title: z.string(),
    description: z.string(),
    pubDate: z.coerce.date(),
    updatedDate: z.coerce.date().optional(),
    heroImage: image().optional(),
    tags: z.array(z.string()).default([]),
  }).strict(),
});
export const collections = { blog };
`;

describe('draft init', () => {
  it.each([
    ['hugo.toml', 'hugo', 'draft.config.json', 'content/posts', 'date'],
    ['_config.yml', 'jekyll', '.draftrc.json', '_drafts', 'date'],
    ['eleventy.config.js', 'eleventy', 'draft.config.json', 'posts', 'date'],
    ['docusaurus.config.ts', 'docusaurus', 'draft.config.json', 'blog', 'date'],
  ])(
    'finds %s in a parent folder and writes a commented config that loads (%s)',
    async (marker, generator, configName, outDir, dateKey) => {
      const root = tempDir();
      await writeFile(join(root, marker), '');
      await mkdir(join(root, 'sub'));
      const { stderr } = await init(join(root, 'sub'));
      expect(stderr).toContain(`for a ${generator} site (found ${marker})`);
      const text = await readFile(join(root, configName), 'utf8');
      expect(text).toMatch(/^\/\/ /m);
      const { config } = await loadConfigFile(join(root, 'sub'));
      expect(config).toMatchObject({ generator, outDir: join(root, outDir), frontMatter: { dateKey } });
      expect(await readdir(join(root, 'sub'))).toEqual([]);
    },
  );

  it('Jekyll drafts go to _drafts and are published to _posts/{date}-{slug}.md; Eleventy ignores .draft/', async () => {
    const jekyll = join(tempDir(), 'j');
    await mkdir(jekyll);
    await writeFile(join(jekyll, '_config.yml'), 'title: x\n');
    await init(jekyll);
    expect((await loadConfigFile(jekyll)).config).toMatchObject({
      frontMatter: { draft: 'drafts-folder' },
      publish: { outDir: '_posts', fileName: '{date}-{slug}.md' },
    });
    const eleventy = join(tempDir(), 'e');
    await mkdir(eleventy);
    await writeFile(join(eleventy, 'eleventy.config.js'), 'export default function (c) { return { dir: { input: "src" } }; }\n');
    await writeFile(join(eleventy, '.eleventyignore'), 'README.md');
    await init(eleventy);
    expect(await readFile(join(eleventy, '.eleventyignore'), 'utf8')).toBe('README.md\n.draft/\n');
    expect((await loadConfigFile(eleventy)).config.outDir).toBe('src/posts');
  });

  it('refuses to replace a config, and changes nothing, unless --force', async () => {
    const root = tempDir();
    await writeFile(join(root, 'hugo.toml'), '');
    await writeFile(join(root, 'draft.config.json'), '{"author":"Me"}');
    await expect(init(root)).rejects.toThrow(/draft\.config\.json already exists/);
    expect(await readFile(join(root, 'draft.config.json'), 'utf8')).toBe('{"author":"Me"}');
    await init(root, { force: true, bundles: true });
    expect((await loadConfigFile(root)).config.fileName).toBe('{slug}/index.md');
  });

  it('no generator and no --generator is a usage error naming the flag', async () => {
    await mkdir(join(tempDir(), '.git'));
    await expect(init(tempDir())).rejects.toThrow(/no site generator found/);
    await init(tempDir(), { generator: 'hugo' });
    expect((await loadConfigFile(tempDir())).config.generator).toBe('hugo');
  });

  it('Astro: reads the collection schema without running it; draft new then writes pubDate and only the keys it accepts', async () => {
    const root = tempDir();
    await writeFile(join(root, 'astro.config.mjs'), 'export default {};\n');
    await mkdir(join(root, 'src'), { recursive: true });
    await writeFile(join(root, 'src', 'content.config.ts'), ASTRO_CONFIG);
    const { stderr } = await init(root);
    expect(stderr).toContain('collection "blog", strict');
    const { config } = await loadConfigFile(root);
    expect(config.frontMatter).toEqual({
      dateKey: 'pubDate',
      draft: 'none',
      disclosureKey: 'ai_disclosure',
      keys: ['title', 'description', 'pubDate', 'updatedDate', 'heroImage', 'tags'],
    });
    expect(config.state).toBe('sidecar');
    await draftNew(root);
    const [name] = await readdir(join(root, 'src', 'content', 'blog'));
    const data = frontMatterOf(await readFile(join(root, 'src', 'content', 'blog', name!), 'utf8'));
    // Sidecar state, and a schema without ai_disclosure: only the keys the strict schema accepts.
    expect(Object.keys(data)).toEqual(['title', 'pubDate', 'description', 'tags']);
    expect(String(data.pubDate)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('Astro without a readable schema: only the common keys, and it says so', async () => {
    const root = tempDir();
    await writeFile(join(root, 'astro.config.mjs'), 'export default {};\n');
    const { stderr } = await init(root);
    expect(stderr).toContain('no collection schema could be read');
    expect((await loadConfigFile(root)).config.frontMatter?.keys).toEqual(['title', 'description', 'pubDate']);
  });
});
