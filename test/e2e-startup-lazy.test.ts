/**
 * Issue 15, start-up: what the built CLI does before `draft new` sends its first request, read from the
 * process itself (bench/list-modules.mjs lists every module it loads; bench/first-request.mjs marks the
 * first fetch in that list), and that registering only the invoked command changes no output.
 * Needs the built CLI (`npm run build`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './support/cli.js';
import { runDraft } from './support/run-command.js';
import { packagesIn } from './support/loaded-packages.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-startup-lazy-');
const HOOKS = `--import=${join(REPO_ROOT, 'bench', 'list-modules.mjs')} --import=${join(REPO_ROOT, 'bench', 'first-request.mjs')}`;

/** `draft new` from the built CLI: the packages loaded before its first request, and those loaded at all. */
async function draftNew(extra: string[], files: Record<string, string> = {}) {
  for (const [name, text] of Object.entries(files)) await writeFile(join(tempDir(), name), text);
  const list = join(tempDir(), `modules-${Math.random().toString(36).slice(2)}.txt`);
  const args = ['new', '--topic', 'Start-up', '--sections', '2', '--yes', '--base-url', server().url, '--retries', '0', ...extra];
  const result = await runCli(args, {
    cwd: tempDir(),
    env: { OPENAI_API_KEY: 'sk-test', NODE_OPTIONS: HOOKS, DRAFT_LIST_MODULES_FILE: list },
  });
  const lines = readFileSync(list, 'utf8').split('\n').filter(Boolean);
  const marker = lines.indexOf('-- first request');
  return {
    ...result,
    before: packagesIn(lines.slice(0, marker < 0 ? lines.length : marker)),
    all: packagesIn(lines.filter((l) => !l.startsWith('--'))),
    sawRequest: marker >= 0,
  };
}

describe('draft new: what loads before the first request', () => {
  // One run without a config file and with an accented Latin title covers three lazy loads at once.
  it('the model is asked before remark, the TOML front matter, the figure tracer, the JSONC and YAML parsers load; no transliteration for Latin', async () => {
    const run = await draftNew(['--title', 'Über Start-up costs', '--keep-title']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.sawRequest).toBe(true);
    expect(run.before).toContain('openai');
    // yaml: the built-in templates' front matter was parsed at build time (dist/prompts/prebuilt.json).
    for (const later of ['micromark', 'mdast-util-to-markdown', 'remark-gfm', 'unified', 'smol-toml', 'jsonc-parser', 'yaml'])
      expect(run.before, later).not.toContain(later);
    // They are loaded, while the model answers, and the file is written with them.
    for (const later of ['micromark', 'mdast-util-to-markdown', 'smol-toml', 'yaml']) expect(run.all, later).toContain(later);
    expect(run.all).not.toContain('@sindresorhus/transliterate');
    expect(await readdir(join(tempDir(), 'drafts'))).toEqual(['uber-start-up-costs.md']);
    const text = readFileSync(join(tempDir(), 'drafts', 'uber-start-up-costs.md'), 'utf8');
    expect(text).toMatch(/^---\ntitle: /);
    expect(text).toContain('Collaboration notes');
  });

  it('with a config file (comments and all) the JSONC parser loads before the request and the config is read as before', async () => {
    const configured = await draftNew(['--out', 'posts'], {
      'draft.config.json': '{\n  // the editor\n  "author": "Manolo",\n}\n',
    });
    expect(configured.code, configured.stderr).toBe(0);
    expect(configured.before).toContain('jsonc-parser');
    const [name] = await readdir(join(tempDir(), 'posts'));
    expect(readFileSync(join(tempDir(), 'posts', name!), 'utf8')).toMatch(/^author: Manolo$/m);
  });

  it('transliteration loads for a title in another script, and still gives its ASCII slug from the bundle', async () => {
    const cyrillic = await draftNew(['--title', 'Привет, мир', '--keep-title']);
    expect(cyrillic.code, cyrillic.stderr).toBe(0);
    expect(cyrillic.all).toContain('@sindresorhus/transliterate');
    expect(existsSync(join(tempDir(), 'drafts', 'privet-mir.md'))).toBe(true);
  });
});

describe('draft batch: what loads before the first request', () => {
  it('the provider thread asks the model before the main thread loads the Markdown parser and the checks', async () => {
    await writeFile(
      join(tempDir(), 'briefs.yaml'),
      'briefs:\n  - topic: One post\n    sections: 2\n  - topic: Another post\n    sections: 2\n',
    );
    const list = join(tempDir(), 'modules-batch.txt');
    const result = await runCli(['batch', 'briefs.yaml', '--base-url', server().url, '--retries', '0'], {
      cwd: tempDir(),
      env: { OPENAI_API_KEY: 'sk-test', NODE_OPTIONS: HOOKS, DRAFT_LIST_MODULES_FILE: list },
    });
    expect(result.code, result.stderr).toBe(0);
    // Both threads append to the one list; the thread marks its first request there.
    const lines = readFileSync(list, 'utf8').split('\n').filter(Boolean);
    const marker = lines.indexOf('-- first request');
    expect(marker).toBeGreaterThan(0);
    const before = packagesIn(lines.slice(0, marker));
    expect(before).toContain('openai');
    for (const later of ['micromark', 'unified', 'remark-gfm', 'mdast-util-to-markdown']) expect(before, later).not.toContain(later);
    expect(packagesIn(lines.filter((l) => !l.startsWith('--')))).toContain('micromark');
    expect(await readdir(join(tempDir(), 'drafts'))).toHaveLength(2);
  });
});

describe('the bundle', () => {
  it('keeps only the zod schemas used: `import { z }` would bundle every locale and schema through the z object', async () => {
    const chunks = join(REPO_ROOT, 'dist', 'chunks');
    let zodBytes = 0;
    for (const name of await readdir(chunks)) {
      if (!name.endsWith('.cjs.map')) continue;
      const sources = JSON.parse(readFileSync(join(chunks, name), 'utf8')).sources as string[];
      if (sources.some((s) => s.includes('node_modules/zod/'))) zodBytes += (await stat(join(chunks, name.slice(0, -'.map'.length)))).size;
    }
    expect(zodBytes).toBeGreaterThan(0);
    // 223 KB with `import * as z from 'zod'` everywhere; 786 KB when one file imports { z }.
    expect(zodBytes).toBeLessThan(400_000);
  });
});

describe('only the invoked command is registered (the process)', () => {
  // The outputs of every command are compared in-process in cli-invoked-command.test.ts; this is the
  // one check that the process itself registers from its argv.
  it('a command’s --help and a mistyped flag read as the full program’s', async () => {
    for (const args of [
      ['revise', '--help'],
      ['new', '--topc', 'x'],
    ]) {
      const cli = await runCli(args, { cwd: tempDir() });
      const full = await runDraft(args, { cwd: tempDir() });
      expect({ code: cli.code, stdout: cli.stdout, stderr: cli.stderr }, args.join(' ')).toEqual({
        code: full.code,
        stdout: full.stdout,
        stderr: full.stderr,
      });
    }
  });
});
