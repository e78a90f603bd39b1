/**
 * Issue 9: YAML briefs and manifests (alias bombs, merge keys), and batch outputs confined to the
 * output folder. In-process, against the scripted test server.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../src/commands/batch.js';
import type { CommandContext } from '../src/commands/context.js';
import { runNew } from '../src/commands/new.js';
import { mergeBriefInput } from '../src/core/brief-input.js';
import { commandFailure, runCommand } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-yaml-');
const env = () => ({ OPENAI_API_KEY: 'sk-test-yaml-0123456789abcdef' });
const provider = () => ({ baseUrl: server().url, retries: '0', timeout: '5' });

const failure = (command: (ctx: CommandContext) => Promise<void>) => commandFailure(command, { cwd: tempDir(), env: env() });

const LAUGHS = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'topic: *d',
  '',
].join('\n');

describe('YAML', () => {
  it('a billion-laughs brief is a usage error naming the file and line, not an unexpected failure', async () => {
    await writeFile(join(tempDir(), 'laughs.yaml'), LAUGHS);
    const error = await failure((ctx) => runNew({ brief: 'laughs.yaml', yes: true, ...provider() }, ctx));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/^laughs\.yaml:2: YAML aliases expand too far/);
    expect(server().requests).toHaveLength(0);
  });

  it('the same in a manifest', async () => {
    await writeFile(join(tempDir(), 'briefs.yaml'), LAUGHS.replace('topic: *d', 'briefs: [*d]'));
    const error = await failure((ctx) => runBatch('briefs.yaml', provider(), ctx));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/^briefs\.yaml:2: YAML aliases expand too far/);
  });

  it('merge keys (<<) in a brief file are read as YAML 1.1 merges', async () => {
    const file = join(tempDir(), 'brief.yaml');
    await writeFile(file, '<<: &common {audience: investors, words: 800}\ntopic: Chips\n');
    const { raw } = await mergeBriefInput({ brief: file });
    expect(raw).toEqual({ topic: 'Chips', audience: 'investors', words: 800 });
  });

  it('merge keys in a manifest give each brief the shared fields', async () => {
    await writeFile(
      join(tempDir(), 'briefs.yaml'),
      '- &first {id: one, topic: Chips, sections: 2, words: 300}\n- {<<: *first, id: two, topic: Memory}\n',
    );
    const { stdout } = await runCommand((ctx) => runBatch('briefs.yaml', { dryRun: true, ...provider() }, ctx), {
      cwd: tempDir(),
      env: env(),
    });
    // Two sections: the outline, the introduction and two sections are 4 requests.
    expect(stdout).toMatch(/^two\s+drafts\/two\.md\s+4\s/m);
  });
});

describe('draft batch: every output stays inside the output folder, as Markdown', () => {
  it.each([
    ['../../x.md', 'must be a path inside the output folder (drafts)'],
    ['/srv/x.conf', 'must be a path inside the output folder (drafts)'],
    ['notes/x.conf', 'must end in .md, .markdown or .mdx'],
  ])('output: %s is refused at validation (exit 2, nothing sent, nothing written)', async (output, reason) => {
    await writeFile(join(tempDir(), 'briefs.yaml'), `- id: one\n  topic: Chips\n  sections: 1\n  words: 150\n  output: ${output}\n`);
    const error = await failure((ctx) => runBatch('briefs.yaml', provider(), ctx));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(`briefs.yaml:1: [0]: output "${output}" ${reason}`);
    expect(server().requests).toHaveLength(0);
    expect((await readdir(tempDir())).sort()).toEqual(['briefs.yaml']);
  });

  it('an output inside the folder is written there, relative to it', async () => {
    await writeFile(join(tempDir(), 'briefs.yaml'), '- id: one\n  topic: Chips\n  sections: 1\n  words: 150\n  output: posts/chips.mdx\n');
    await runCommand((ctx) => runBatch('briefs.yaml', { out: 'site', ...provider() }, ctx), { cwd: tempDir(), env: env() });
    expect(await readdir(join(tempDir(), 'site', 'posts'))).toEqual(['chips.mdx']);
  });
});

describe('draft batch: a symbolic link inside the output folder cannot lead a draft out of it', () => {
  it('output: posts/x.md, where drafts/posts links outside, is refused before anything is sent', async () => {
    const { mkdir, symlink } = await import('node:fs/promises');
    await mkdir(join(tempDir(), 'elsewhere'));
    await mkdir(join(tempDir(), 'drafts'));
    await symlink(join(tempDir(), 'elsewhere'), join(tempDir(), 'drafts', 'posts'));
    await writeFile(join(tempDir(), 'briefs.yaml'), '- id: one\n  topic: Chips\n  sections: 1\n  words: 150\n  output: posts/x.md\n');
    const error = await failure((ctx) => runBatch('briefs.yaml', provider(), ctx));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/^output folder "drafts\/posts" leads outside the output folder through a symbolic link/);
    expect(server().requests).toHaveLength(0);
    expect(await readdir(join(tempDir(), 'elsewhere'))).toEqual([]);
  });
});
