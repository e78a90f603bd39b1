import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCheck } from '../src/commands/check.js';
import { CheckFailedError } from '../src/core/errors.js';
import { createUi } from '../src/ui/ui.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'draft-check-hand-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), text);
}

/** `draft check` in-process, as piped: stdout, and whether it passed. */
async function run(paths: string[], options: Record<string, unknown>): Promise<{ ok: boolean; stdout: string }> {
  let stdout = '';
  const out = new PassThrough().on('data', (d: Buffer) => (stdout += d.toString()));
  const ui = await createUi(
    { stdout: out, stderr: new PassThrough(), env: { NO_COLOR: '1' }, stdinIsTTY: false, stderrIsTTY: false },
    { interactive: false, debug: false },
  );
  try {
    await runCheck(
      paths,
      { json: false, require: [], ...options },
      { ui, cwd: dir, env: {}, signal: new AbortController().signal, debug: false },
    );
    return { ok: true, stdout };
  } catch (error) {
    if (!(error instanceof CheckFailedError)) throw error;
    return { ok: false, stdout };
  }
}

/** `draft check --json`: the problems found, per file, as `rule: message`. */
async function check(paths: string[], options: Record<string, unknown> = {}): Promise<{ ok: boolean; problems: Record<string, string[]> }> {
  const { ok, stdout } = await run(paths, { ...options, json: true });
  const report = JSON.parse(stdout) as { problems: { file: string; rule: string; message: string }[] };
  const problems: Record<string, string[]> = {};
  for (const p of report.problems) problems[p.file] = [...(problems[p.file] ?? []), `${p.rule}: ${p.message}`];
  expect(ok).toBe(report.problems.length === 0);
  return { ok, problems };
}

const JEKYLL = `---
layout: post
title: Why we moved to Postgres
description: Notes from a migration.
---
We moved our analytics to Postgres last spring.

## What broke

Only the reports did.
`;

describe('draft check on hand-written blogs', () => {
  it('a Jekyll post dated by its file name, with no date field and no notes, has no problems', async () => {
    await put('_posts/2024-05-01-postgres.md', JEKYLL);
    const result = await check(['_posts']);
    expect(result.problems).toEqual({});
    expect(result.ok).toBe(true);
  });

  it('a Docusaurus post dated by its folder name passes; the same post with no date anywhere does not', async () => {
    await put('blog/2024-05-01-postgres/index.md', JEKYLL);
    await put('blog/postgres.md', JEKYLL);
    await put('blog/2024-13-45-not-a-date.md', JEKYLL);
    const result = await check(['blog']);
    expect(Object.keys(result.problems).sort()).toEqual(['blog/2024-13-45-not-a-date.md', 'blog/postgres.md']);
    expect(result.problems['blog/postgres.md']).toEqual([
      'front-matter: front matter has no "date" (nor pubDate, publishDate, nor a date in the file name)',
    ]);
  });

  it('an Astro post dated by pubDate or publishDate has its date', async () => {
    await put('src/content/blog/postgres.md', JEKYLL.replace('layout: post\n', 'pubDate: 2024-05-01\n'));
    await put('src/content/blog/redis.md', JEKYLL.replace('layout: post\n', "publishDate: '2024-06-01'\n"));
    const result = await check(['src/content/blog']);
    expect(result.problems).toEqual({});
  });

  it('a post never touched by draft owes no notes, even when it has its own notes section', async () => {
    await put('posts/2024-05-01-a.md', JEKYLL);
    await put(
      'posts/2024-05-02-b.md',
      `${JEKYLL}\n<!-- draft:collaboration-notes -->\n## Notes\n\nMine.\n<!-- /draft:collaboration-notes -->\n`,
    );
    const result = await check(['posts']);
    expect(result.problems).toEqual({});
  });

  it('a post draft did touch still needs its notes', async () => {
    const touched = JEKYLL.replace('layout: post\n', 'date: 2024-05-01\ndraft_state:\n  version: 1\n  log: []\n');
    await put('posts/touched.md', touched);
    const result = await check(['posts']);
    expect(result.problems['posts/touched.md']).toEqual([expect.stringMatching(/^notes: no collaboration notes block/)]);
  });

  it('check.require in the config replaces the default required fields; --require still adds to it', async () => {
    const noDescription = JEKYLL.replace('description: Notes from a migration.\n', 'tags: [db]\n');
    await put('posts/2024-05-01-postgres.md', noDescription);
    expect((await check(['posts'])).problems['posts/2024-05-01-postgres.md']).toEqual(['front-matter: front matter has no "description"']);

    await put('draft.config.json', JSON.stringify({ check: { require: ['title', 'date', 'tags'] } }));
    expect((await check(['posts'])).problems).toEqual({});
    expect((await check(['posts'], { require: ['author'] })).problems['posts/2024-05-01-postgres.md']).toEqual([
      'front-matter: front matter has no "author"',
    ]);

    await put('draft.config.json', JSON.stringify({ check: { require: [] } }));
    await put('posts/bare.md', 'Just text, no front matter.\n');
    expect((await check(['posts'])).problems).toEqual({});
  });

  it('an unknown field under check in the config is a usage error naming it', async () => {
    await put('draft.config.json', JSON.stringify({ check: { required: ['title'] } }));
    await put('posts/2024-05-01-postgres.md', JEKYLL);
    await expect(check(['posts'])).rejects.toThrow(/check/);
  });

  it('prose about TODO markers is not a placeholder; a TODO left in the text is', async () => {
    const prose = `${JEKYLL}
## Conventions

Leave _TODO_ comments where the code needs work, and *FIXME* for bugs; **TODO** is shouted.
We grep for TODO comments in CI, and a FIXME marker fails the build. The word "TODO" is fine in quotes.
TODOs are tracked elsewhere.

TODO: write the conclusion.
`;
    await put('posts/2024-05-01-conventions.md', prose);
    const result = await check(['posts']);
    const line = prose.split('\n').findIndex((l) => l.startsWith('TODO: write')) + 1;
    expect(result.problems).toEqual({ 'posts/2024-05-01-conventions.md': ['placeholder: placeholder text "TODO"'] });
    const { stdout } = await run(['posts'], {});
    expect(stdout).toBe(`posts/2024-05-01-conventions.md:${line}: placeholder text "TODO" [placeholder]\n`);
  });
});
