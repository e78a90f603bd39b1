import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNew } from '../src/commands/new.js';
import { runRevise } from '../src/commands/revise.js';
import { loadConfigFile } from '../src/core/config.js';
import { runCommand } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-site-config-');
const env = { OPENAI_API_KEY: 'sk-test-0123456789' };
const provider = () => ({ baseUrl: server().url, retries: '0', timeout: '5' });

describe('the config is found walking up from the post or the current folder', () => {
  it('draft new run in a sub-folder uses the site root config, and its outDir is relative to that config', async () => {
    const root = tempDir();
    await mkdir(join(root, '.git'));
    await writeFile(
      join(root, 'draft.config.json'),
      '{\n  // the posts folder, from the site root\n  "outDir": "content/posts",\n  "fileName": "{slug}.md",\n}\n',
    );
    await mkdir(join(root, 'layouts', 'partials'), { recursive: true });
    await runCommand((ctx) => runNew({ yes: true, topic: 'Chip export controls', sections: '1', words: '150', ...provider() }, ctx), {
      cwd: join(root, 'layouts', 'partials'),
      env,
    });
    expect(await readdir(join(root, 'content', 'posts'))).toHaveLength(1);
    expect(await readdir(join(root, 'layouts', 'partials'))).toEqual([]);
  });

  it('draft revise finds the config beside the site, not in the folder it is run from', async () => {
    const root = join(tempDir(), 'site');
    await mkdir(join(root, 'content', 'posts'), { recursive: true });
    await writeFile(join(root, 'draft.config.json'), '{ "author": "Site Editor" /* who directs */ }\n');
    const post = join(root, 'content', 'posts', 'post.md');
    await writeFile(post, '---\ntitle: Markets\n---\nA lead paragraph.\n\n## First\n\nSome text about chips.\n');
    await runCommand(
      (ctx) =>
        runRevise(
          'site/content/posts/post.md',
          { section: ['first'], keyword: [], instruction: 'tighten it', yes: true, ...provider() },
          ctx,
        ),
      { cwd: tempDir(), env },
    );
    expect(await readFile(post, 'utf8')).toContain('**Site Editor provided:**');
  });

  it('stops at the top of a git checkout, and names a comment-free syntax error by line', async () => {
    const outer = tempDir();
    await writeFile(join(outer, 'draft.config.json'), '{ "author": "Outside" }');
    const repo = join(outer, 'repo');
    await mkdir(join(repo, '.git'), { recursive: true });
    expect(await loadConfigFile(repo)).toEqual({ config: {} });
    await writeFile(join(repo, 'draft.config.json'), '{\n  "author": "A"\n  "model": "x"\n}');
    await expect(loadConfigFile(join(repo))).rejects.toThrow(/draft\.config\.json: not valid JSON \(CommaExpected at line 3\)/);
  });
});
