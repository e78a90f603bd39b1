/** `draft check` traces figures: a grounded draft against its snapshots, any post against --source. */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runNew } from '../src/commands/new.js';
import { runCommand, runDraft } from './support/run-command.js';
import { startPageServer, type PageServer } from './support/page-server.js';
import { scriptedModel } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-sources-check-');
let pages: PageServer;
beforeEach(async () => {
  pages = await startPageServer();
});
afterEach(() => pages.close());

const env = { OPENAI_API_KEY: 'sk-test-sources-check-0123456789' };

/** `draft check --json PATHS FLAGS`, in-process, with the exit code and the problems it printed. */
async function check(paths: string[], flags: string[] = []) {
  const result = await runDraft(['check', ...paths, '--json', ...flags], { cwd: tempDir(), env });
  // The problems object comes first on stdout (a failure's own JSON may follow it).
  const first = result.stdout.slice(0, result.stdout.indexOf('\n}\n') + 2);
  return { code: result.code, problems: (JSON.parse(first).problems as any[]).filter((p) => p.rule === 'untraced-figure') };
}

describe('draft check: untraced-figure', () => {
  it('flags the figure a grounded draft invented, at its line, from the snapshots alone', async () => {
    server().setHandler(scriptedModel({ inventFigure: 'always' }));
    const made = await runCommand(
      (ctx) =>
        runNew(
          {
            yes: true,
            json: true,
            baseUrl: server().url,
            retries: '0',
            sections: '2',
            topic: 'Chips',
            source: [`${pages.url}/market`],
            allowPrivateSources: true,
          },
          ctx,
        ),
      { cwd: tempDir(), env },
    );
    const { path, figures } = JSON.parse(made.stdout);
    await pages.close(); // the check reads the snapshots, never the page
    pages = await startPageServer();
    const fetchesBefore = pages.requests.length;
    const file = relative(tempDir(), path);
    const { code, problems } = await check([file]);
    // The collaboration notes already say so; the rule names the figure and its line.
    expect(code).toBe(1);
    expect(problems).toEqual([
      {
        file,
        line: figures.untraced[0].line,
        rule: 'untraced-figure',
        message: '“42%” in the introduction is not in a source that part cites, nor in the brief',
      },
    ]);
    expect(pages.requests.length).toBe(fetchesBefore);

    // A lost snapshot is said, not silently passed.
    await rm(join(tempDir(), '.draft', 'sources'), { recursive: true });
    const again = (await check([file])).problems;
    expect(again[0].message).toMatch(/snapshot of source “Nvidia loses \$593 billion as DeepSeek rattles markets” .* is missing/);
  });

  it('traces a hand-written post against --source; a post with no sources and no --source is not checked for figures', async () => {
    const post = [
      '---',
      'title: Nvidia’s bad day',
      'date: 2025-01-28',
      'description: What happened to Nvidia',
      '---',
      '',
      'Nvidia fell 17% and lost $593 billion in a day. Analysts now expect a 30% rebound.',
      '',
    ].join('\n');
    await writeFile(join(tempDir(), 'post.md'), post);
    expect(await check(['post.md'])).toEqual({ code: 0, problems: [] });
    const traced = await check(['post.md'], ['--source', `${pages.url}/market`, '--allow-private-sources']);
    expect(traced.code).toBe(1);
    expect(traced.problems).toEqual([
      {
        file: 'post.md',
        line: 7,
        rule: 'untraced-figure',
        message: '“30%” in the introduction is not in a source that part cites, nor in the brief',
      },
    ]);
    expect(await readFile(join(tempDir(), 'post.md'), 'utf8')).toBe(post);
  });
});
