/**
 * Real Eleventy 3 and Astro 5 builds of a site made by `draft init` + `draft new` + `draft revise` +
 * `draft publish`, the HTML read back. Eleventy is a dev dependency; Astro lives in test/sites/astro
 * with its own lock file (`npm ci --prefix test/sites/astro`, run by .ci/run). Missing, they skip.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../src/core/document/front-matter.js';
import { runDraft } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const ELEVENTY = join(repo, 'node_modules', '@11ty', 'eleventy', 'cmd.cjs');
const ASTRO_MODULES = join(repo, 'test', 'sites', 'astro', 'node_modules');
const ASTRO = join(ASTRO_MODULES, 'astro', 'astro.js');
const run = promisify(execFile);

const { server, tempDir } = useServerAndTempDir('draft-site-build-');
const env = { OPENAI_API_KEY: 'sk-test-0123456789' };
const draft = async (cwd: string, ...args: string[]) => {
  const result = await runDraft(args, { cwd, env });
  expect(result.code, `draft ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
};
const model = () => ['--base-url', server().url, '--retries', '0', '--timeout', '5'];

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []))
    if (entry.isFile()) out.push(relative(dir, join(entry.parentPath, entry.name)));
  return out;
}
const builtHtml = async (dir: string) =>
  (await Promise.all((await allFiles(dir)).filter((f) => f.endsWith('.html')).map((f) => readFile(join(dir, f), 'utf8')))).join('\n');

const postsIn = async (dir: string) => (await readdir(dir).catch(() => [])).filter((n) => n.endsWith('.md'));

/** new → revise (a focus and a link) → the draft's path and title. */
async function draftAndRevise(site: string, folder: string, topic = 'Chip export controls'): Promise<{ post: string; title: string }> {
  const before = new Set(await postsIn(join(site, folder)));
  await draft(site, 'new', '--yes', '--topic', topic, '--sections', '2', '--words', '300', ...model());
  const [name] = (await postsIn(join(site, folder))).filter((n) => !before.has(n));
  const post = `${folder}/${name}`;
  await draft(site, 'revise', post, '--focus', 'finance', '--link', 'Earlier post=https://example.com/earlier', '--yes', ...model());
  const title = String(parseSource(await readFile(join(site, post), 'utf8'), post).data.title);
  return { post, title };
}

function expectRendered(html: string, title: string): void {
  const escaped = title.replace(/&/g, '&amp;').replace(/'/g, '&#39;');
  expect(html.includes(`<title>${title}</title>`) || html.includes(`<title>${escaped}</title>`), `title “${title}”`).toBe(true);
  expect(html).toMatch(/<meta name="description" content="[^"]{20,}">/);
  expect(html).toMatch(/<time>20\d\d-\d\d-\d\dT/);
  expect(html).not.toContain('Invalid Date');
  expect(html).not.toContain('1970-01-01');
  expect(html).toMatch(/<h2[^>]*>Collaboration notes<\/h2>/);
  expect((html.match(/<h2[^>]*>/g) ?? []).length).toBeGreaterThanOrEqual(3); // two sections and the notes
  expect(html).toContain('href="https://example.com/earlier"');
  expect(html).toContain('<meta name="ai-disclosure" content="ai-assisted">');
}

function expectNoState(files: string[], html: string): void {
  expect(files.filter((f) => f.includes('.draft') || f.endsWith('.json') || f.includes('draft.config'))).toEqual([]);
  // Nothing of the state: no key, no log entry, no section hash.
  expect(html).not.toContain('draft_state');
  expect(html).not.toContain('sections-drafted');
  expect(html).not.toMatch(/"hash"|sha256/);
}

describe.skipIf(!existsSync(ELEVENTY))('Eleventy 3 (npx @11ty/eleventy)', () => {
  it('a draft is left out of the build; after draft publish it is rendered with the disclosure meta', async () => {
    const site = tempDir();
    await mkdir(join(site, '.git'));
    await mkdir(join(site, '_includes'));
    // The skip-drafts preprocessor Eleventy's docs give (README "Eleventy").
    await writeFile(
      join(site, 'eleventy.config.js'),
      `export default function (eleventyConfig) {\n  eleventyConfig.addPreprocessor('drafts', '*', (data) => {\n` +
        `    if (data.draft && process.env.ELEVENTY_RUN_MODE === 'build') return false;\n  });\n}\n`,
    );
    await writeFile(join(site, 'package.json'), '{ "type": "module" }\n');
    await writeFile(
      join(site, '_includes', 'post.njk'),
      '<html><head><title>{{ title }}</title><meta name="description" content="{{ description }}">' +
        '{% if ai_disclosure %}<meta name="ai-disclosure" content="{{ ai_disclosure.mode }}">{% endif %}</head>' +
        '<body><time>{{ page.date.toISOString() }}</time>{{ content | safe }}</body></html>\n',
    );
    await draft(site, 'init');
    expect(await readFile(join(site, '.eleventyignore'), 'utf8')).toContain('.draft/');
    await mkdir(join(site, 'posts'));
    await writeFile(join(site, 'posts', 'posts.json'), '{ "layout": "post.njk" }\n');
    // Two drafts, one published: one build shows both the draft left out and the published post rendered.
    const kept = await draftAndRevise(site, 'posts', 'Quarterly chip earnings');
    const { post, title } = await draftAndRevise(site, 'posts');
    await draft(site, 'publish', post, '--yes');
    await run(process.execPath, [ELEVENTY, '--quiet', '--input=.', '--output=_site'], { cwd: site });
    const files = await allFiles(join(site, '_site'));
    expect(files.filter((f) => f.startsWith('posts/'))).toEqual([`posts/${post.slice('posts/'.length, -3)}/index.html`]);
    const html = await builtHtml(join(site, '_site'));
    expect(html).not.toContain(kept.title);
    expectRendered(html, title);
    expectNoState(files, html);
  }, 120_000);
});

const ASTRO_CONTENT_CONFIG = `import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';

const blog = defineCollection({
  loader: glob({ base: './src/content/blog', pattern: '**/*.md' }),
  schema: z.object({
    title: z.string(),
    description: z.string(),
    pubDate: z.coerce.date(),
    draft: z.boolean().optional(),
    ai_disclosure: z.object({ mode: z.enum(['human-only', 'ai-assisted', 'ai-autonomous', 'mixed']), models: z.array(z.string()), digital_source_type: z.string() }).optional(),
  }).strict(),
});

export const collections = { blog };
`;

const ASTRO_PAGE = `---
import { getCollection, render } from 'astro:content';
export async function getStaticPaths() {
  const posts = await getCollection('blog', ({ data }) => !data.draft);
  return posts.map((post) => ({ params: { slug: post.id }, props: { post } }));
}
const { post } = Astro.props;
const { Content } = await render(post);
---
<html><head><title>{post.data.title}</title><meta name="description" content={post.data.description}>
{post.data.ai_disclosure && <meta name="ai-disclosure" content={post.data.ai_disclosure.mode}>}
</head><body><time>{post.data.pubDate.toISOString()}</time><Content /></body></html>
`;

/** An Astro 5 site in the test folder: a strict blog collection and a page per post, the test's Astro installed. */
async function astroSite(): Promise<string> {
  const site = tempDir();
  await mkdir(join(site, '.git'));
  await mkdir(join(site, 'src', 'pages', 'blog'), { recursive: true });
  await symlink(ASTRO_MODULES, join(site, 'node_modules'));
  await writeFile(join(site, 'package.json'), '{ "type": "module" }\n');
  await writeFile(join(site, 'astro.config.mjs'), 'export default {};\n');
  await writeFile(join(site, 'src', 'content.config.ts'), ASTRO_CONTENT_CONFIG);
  await writeFile(join(site, 'src', 'pages', 'blog', '[...slug].astro'), ASTRO_PAGE);
  return site;
}

/** `astro build` in the site; rejects with its output when the build fails. */
const astroBuild = (site: string) =>
  run(process.execPath, [ASTRO, 'build', '--silent'], { cwd: site, env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });

describe.skipIf(!existsSync(ASTRO))('Astro 5 (astro build)', () => {
  it('front matter validates under a .strict() schema with pubDate; drafts are filtered out until published', async () => {
    const site = await astroSite();
    const init = await draft(site, 'init');
    expect(init.stderr).toContain('collection "blog", strict');
    // Two drafts, one published: one build shows both the draft filtered out and the published post rendered.
    const kept = await draftAndRevise(site, 'src/content/blog', 'Quarterly chip earnings');
    const { post, title } = await draftAndRevise(site, 'src/content/blog');
    const data = parseSource(await readFile(join(site, post), 'utf8'), post).data;
    expect(Object.keys(data)).toEqual(['title', 'pubDate', 'description', 'draft', 'ai_disclosure']);
    await draft(site, 'publish', post, '--yes', '--date', 'now');
    await astroBuild(site);
    const files = await allFiles(join(site, 'dist'));
    expect(files.filter((f) => f.endsWith('.html'))).toEqual([`blog/${post.slice('src/content/blog/'.length, -3)}/index.html`]);
    const html = await builtHtml(join(site, 'dist'));
    expect(html).not.toContain(kept.title);
    expectRendered(html, title);
    expectNoState(files, html);
  }, 180_000);

  it('the same post with its state in the front matter is refused by the strict schema (why init picks the sidecar)', async () => {
    const site = await astroSite();
    await draft(site, 'init');
    const { post } = await draftAndRevise(site, 'src/content/blog');
    await draft(site, 'state', 'move', post, '--to', 'front-matter');
    const failed = await astroBuild(site).then(
      () => '',
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    expect(failed).toMatch(/draft_state/);
  }, 180_000);
});
