/**
 * Real generator builds: a site from `draft init` + `draft new` + `draft revise` + `draft publish`, built by the
 * generator's own binary, and the HTML read back. A generator that is not installed skips.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInit } from '../src/commands/init.js';
import { runNew } from '../src/commands/new.js';
import { runPublish } from '../src/commands/publish.js';
import { runRevise } from '../src/commands/revise.js';
import { runCommand } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-site-build-');
const env = { OPENAI_API_KEY: 'sk-test-0123456789' };
const installed = (bin: string) => spawnSync(bin, ['version'], { stdio: 'ignore' }).error === undefined;

const run = (cwd: string, command: Parameters<typeof runCommand>[0]) => runCommand(command, { cwd, env });
const draftNew = (cwd: string) =>
  run(cwd, (ctx) =>
    runNew(
      {
        yes: true,
        topic: 'Chip export controls',
        sections: '2',
        words: '300',
        baseUrl: server().url,
        retries: '0',
        timeout: '5',
        link: ['Earlier post=https://example.com/earlier'],
      },
      ctx,
    ),
  );

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []))
    if (entry.isFile()) out.push(relative(dir, join(entry.parentPath, entry.name)));
  return out;
}

async function builtText(dir: string): Promise<string> {
  const files = await allFiles(dir);
  return (await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')))).join('\n');
}

const LAYOUT = (t: string, d: string, date: string, content: string, disclosure: string) =>
  `<html><head><title>${t}</title><meta name="description" ` +
  `content="${d}">${disclosure}</head><body><time>${date}</time>${content}</body></html>\n`;
// The template lines README "Sites" gives for the AI disclosure.
const JEKYLL_DISCLOSURE = '{% if page.ai_disclosure %}<meta name="ai-disclosure" content="{{ page.ai_disclosure.mode }}">{% endif %}';
const HUGO_DISCLOSURE = '{{ with .Params.ai_disclosure }}<meta name="ai-disclosure" content="{{ .mode }}">{{ end }}';
const revise = (cwd: string, post: string) =>
  run(cwd, (ctx) => runRevise(post, { yes: true, focus: 'finance', baseUrl: server().url, retries: '0', timeout: '5' }, ctx));

function expectRendered(html: string, title: string): void {
  expect(html).toContain(`<title>${title}</title>`);
  expect(html).toMatch(/<meta name="description" content="[^"]{20,}">/);
  expect(html).toMatch(/<time>20\d\d-\d\d-\d\d/);
  expect(html).not.toContain('0001-01-01');
  expect(html).toMatch(/<h2[^>]*>Collaboration notes<\/h2>/);
  expect(html).toContain('href="https://example.com/earlier"');
  expect(html).not.toContain('draft_state');
  expect(html).toContain('<meta name="ai-disclosure" content="ai-assisted">');
}

describe.skipIf(!installed('jekyll'))('Jekyll (jekyll build)', () => {
  it('a draft in _drafts is left out; after draft publish it is in _posts and rendered', async () => {
    const site = tempDir();
    await mkdir(join(site, '.git'));
    await mkdir(join(site, '_layouts'));
    await writeFile(join(site, '_config.yml'), 'title: Test\ndefaults:\n  - scope: { path: "" }\n    values: { layout: post }\n');
    await writeFile(
      join(site, '_layouts', 'post.html'),
      LAYOUT('{{ page.title }}', '{{ page.description }}', '{{ page.date | date_to_xmlschema }}', '{{ content }}', JEKYLL_DISCLOSURE),
    );
    await run(site, (ctx) => runInit({}, ctx));
    await draftNew(site);
    const [draftName] = await readdir(join(site, '_drafts'));
    await revise(site, `_drafts/${draftName}`);
    const build = () =>
      execFileSync('jekyll', ['build', '--quiet', '--source', site, '--destination', join(site, '_site')], { cwd: site, stdio: 'pipe' });
    build();
    expect((await allFiles(join(site, '_site'))).filter((f) => f.endsWith('.html'))).toEqual([]);

    const { stderr } = await run(site, (ctx) => runPublish(`_drafts/${draftName}`, { yes: true, date: 'now' }, ctx));
    expect(stderr).toMatch(/Published _drafts\/.+ → _posts\/\d{4}-\d\d-\d\d-/);
    expect(await readdir(join(site, '_drafts'))).toEqual([]);
    const [postName] = await readdir(join(site, '_posts'));
    const post = await readFile(join(site, '_posts', postName!), 'utf8');
    expect(post).not.toMatch(/^draft:/m);
    // The state is in its sidecar (what draft init sets up), moved along with the post.
    expect(post).not.toContain('draft_state');
    expect(await readFile(join(site, '.draft', 'state', '_posts', `${postName}.json`), 'utf8')).toMatch(/"action": "published"/);
    build();
    const files = await allFiles(join(site, '_site'));
    expect(files.some((f) => f.includes('.draft') || f.includes('draftrc'))).toBe(false);
    const title = /^title: "?(.+?)"?$/m.exec(post)![1]!;
    expectRendered(await builtText(join(site, '_site')), title.replace(/’/g, '’'));
  });
});

describe.skipIf(!installed('hugo'))('Hugo (hugo)', () => {
  it('draft: true is left out of a production build; after draft publish it is rendered', async () => {
    const site = tempDir();
    await mkdir(join(site, '.git'));
    await mkdir(join(site, 'layouts', '_default'), { recursive: true });
    await writeFile(
      join(site, 'hugo.toml'),
      'baseURL = "https://example.org/"\ntitle = "Test"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n',
    );
    await writeFile(
      join(site, 'layouts', '_default', 'single.html'),
      LAYOUT('{{ .Title }}', '{{ .Description }}', '{{ .Date.Format "2006-01-02" }}', '{{ .Content }}', HUGO_DISCLOSURE),
    );
    await writeFile(join(site, 'layouts', '_default', 'list.html'), '<ul>{{ range .Pages }}<li>{{ .Title }}</li>{{ end }}</ul>\n');
    await run(site, (ctx) => runInit({}, ctx));
    await draftNew(site);
    const [name] = await readdir(join(site, 'content', 'posts'));
    await revise(site, `content/posts/${name}`);
    const build = () =>
      execFileSync('hugo', ['--quiet', '--source', site, '--destination', join(site, 'public')], { cwd: site, stdio: 'pipe' });
    build();
    expect((await allFiles(join(site, 'public'))).filter((f) => f.startsWith('posts/') && f !== 'posts/index.html')).toEqual([]);

    await run(site, (ctx) => runPublish(`content/posts/${name}`, { yes: true }, ctx));
    const post = await readFile(join(site, 'content', 'posts', name!), 'utf8');
    expect(post).toMatch(/^draft: false$/m);
    build();
    const files = await allFiles(join(site, 'public'));
    expect(files.some((f) => f.includes('.draft'))).toBe(false);
    const title = /^title: "?(.+?)"?$/m.exec(post)![1]!;
    expectRendered(await builtText(join(site, 'public', 'posts')), title);
  });
});
