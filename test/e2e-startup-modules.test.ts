/**
 * Issue 15, "load less, later": what the built CLI loads per command, read from the process itself
 * (bench/list-modules.mjs, preloaded through NODE_OPTIONS, lists every module URL it loads; a bundle
 * chunk is mapped to the packages in it through its source map). Holds for the bundle and for
 * tsc's output alike, whichever bin/draft.js runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { REPO_ROOT, runCli } from './support/cli.js';
import { makePdf } from './support/make-pdf.js';
import { MARKET_ARTICLE, startPageServer } from './support/page-server.js';
import { packagesIn } from './support/loaded-packages.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-startup-modules-');
const LISTER = join(REPO_ROOT, 'bench', 'list-modules.mjs');

/** The packages a `draft` run loaded, with the run's result. */
async function loadedBy(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ packages: Set<string>; code: number | null; stderr: string }> {
  const list = join(tempDir(), `modules-${Math.random().toString(36).slice(2)}.txt`);
  const result = await runCli(args, { cwd: tempDir(), env: { ...env, NODE_OPTIONS: `--import=${LISTER}`, DRAFT_LIST_MODULES_FILE: list } });
  const packages = packagesIn(new Set(readFileSync(list, 'utf8').split('\n').filter(Boolean)));
  return { packages, code: result.code, stderr: result.stderr };
}

const SDK_AND_SOURCES = ['openai', 'linkedom', '@mozilla/readability', 'turndown', 'unpdf', 'minisearch', 'js-tiktoken'];

describe('each command loads what it needs, no more', () => {
  it('draft --help loads no package (the build rendered it); a command’s help loads commander and nothing else', async () => {
    const top = await loadedBy(['--help']);
    expect(top.code).toBe(0);
    expect([...top.packages]).toEqual([]);
    const command = await loadedBy(['new', '--help']);
    expect(command.code).toBe(0);
    expect([...command.packages]).toEqual(['commander']);
  });

  it('draft check reads Markdown but loads no SDK, no tokenizer and nothing of the sources stack', async () => {
    await writeFile(join(tempDir(), 'post.md'), '---\ntitle: A post\ndescription: About things\n---\n\nSome words.\n');
    const { packages, code, stderr } = await loadedBy(['check', 'post.md']);
    expect(code, stderr).not.toBe(2);
    expect(packages).toContain('micromark');
    for (const heavy of SDK_AND_SOURCES) expect(packages, heavy).not.toContain(heavy);
  });

  it('draft new without a source talks to the model but loads no DOM, PDF, search index, tokenizer or second YAML parser', async () => {
    const { packages, code, stderr } = await loadedBy(
      ['new', '--topic', 'Start-up', '--sections', '2', '--yes', '--base-url', server().url, '--retries', '0'],
      { OPENAI_API_KEY: 'sk-test' },
    );
    expect(code, stderr).toBe(0);
    expect(packages).toContain('openai');
    for (const heavy of [
      'linkedom',
      '@mozilla/readability',
      'turndown',
      'unpdf',
      'minisearch',
      'js-tiktoken',
      'gray-matter',
      'js-yaml',
      'esprima',
    ])
      expect(packages, heavy).not.toContain(heavy);
  });

  it('draft new with a page and a PDF as sources loads the sources stack, and it works from the built CLI (bundled or not)', async () => {
    const pages = await startPageServer();
    try {
      pages.page('/market', MARKET_ARTICLE);
      await writeFile(join(tempDir(), 'q4.pdf'), makePdf(['Revenue was $39.3 billion, up 78%.'], 'Q4 release'));
      const args = [
        'new',
        '--topic',
        'Chips',
        '--sections',
        '2',
        '--yes',
        '--base-url',
        server().url,
        '--retries',
        '0',
        '--allow-private-sources',
        '--source',
        `${pages.url}/market`,
        '--source',
        'q4.pdf',
      ];
      const { packages, code, stderr } = await loadedBy(args, { OPENAI_API_KEY: 'sk-test' });
      expect(code, stderr).toBe(0);
      for (const used of ['linkedom', '@mozilla/readability', 'turndown', 'unpdf', 'minisearch']) expect(packages, used).toContain(used);
      const prompts = server()
        .requests.map((r) => JSON.stringify(r.body))
        .join('\n');
      expect(prompts).toContain('39.3 billion');
      expect(prompts).toContain('593 billion');
    } finally {
      await pages.close();
    }
  });
});
