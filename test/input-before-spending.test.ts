/**
 * Issue 9: what would fail at write time (the output folder, the file name, a prompt template) is
 * found before the first request, reported together, and costs nothing. In-process, against the
 * scripted test server.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../src/commands/batch.js';
import type { CommandContext } from '../src/commands/context.js';
import { runNew } from '../src/commands/new.js';
import { commandFailure, runCommand } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-preflight-');
const env = () => ({ OPENAI_API_KEY: 'sk-test-preflight-0123456789abcdef' });
const provider = () => ({ baseUrl: server().url, retries: '0', timeout: '5' });
const newWith = (options: Record<string, unknown>) => (ctx: CommandContext) =>
  runNew({ yes: true, topic: 'Chip export controls', sections: '1', words: '150', ...provider(), ...options }, ctx);

const failure = (command: (ctx: CommandContext) => Promise<void>) => commandFailure(command, { cwd: tempDir(), env: env() });

async function putTemplate(name: string, text: string): Promise<void> {
  await mkdir(join(tempDir(), '.draft', 'prompts'), { recursive: true });
  await writeFile(join(tempDir(), '.draft', 'prompts', `${name}.md`), text);
}

describe('draft new checks where the draft goes and how it is asked for before spending', () => {
  it('an --out that is a file, a pattern with no Markdown extension and a broken template: reported together, nothing sent', async () => {
    await writeFile(join(tempDir(), 'notes.txt'), 'keep me\n');
    await putTemplate('link', '=== user ===\nWork [{{linkTitle}}]({{url}}) into {{heading}}, {{nope}}.\n');
    const error = await failure(newWith({ out: 'notes.txt', fileName: '{slug}' }));
    expect(error.exitCode).toBe(2);
    const lines = error.message.split('\n').map((l) => l.trim());
    expect(lines[0]).toBe('3 problems:');
    expect(lines).toContain('--out "notes.txt" is a file, not a folder');
    expect(lines).toContain('--file-name "{slug}" must end in .md, .markdown or .mdx, e.g. "{slug}.md"');
    expect(lines.some((l) => /link\.md: unknown placeholder \{\{nope\}\}/.test(l))).toBe(true);
    expect(server().requests).toHaveLength(0);
    expect(await readFile(join(tempDir(), 'notes.txt'), 'utf8')).toBe('keep me\n');
  });

  it('an --out inside a file is refused before the outline is paid for', async () => {
    await writeFile(join(tempDir(), 'notes.txt'), 'keep me\n');
    const error = await failure(newWith({ out: 'notes.txt/posts' }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('--out "notes.txt/posts" is inside notes.txt, which is a file');
    expect(server().requests).toHaveLength(0);
  });

  it('a pattern whose file name can pass 255 bytes is refused up front', async () => {
    const error = await failure(newWith({ fileName: '{slug}-{slug}-{slug}-{slug}.md' }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/--file-name "\{slug\}-\{slug\}-\{slug\}-\{slug\}\.md" can give a file name of 33\d bytes.*at most 255/);
    expect(server().requests).toHaveLength(0);
  });

  it('a section template with an unknown placeholder fails before the outline request', async () => {
    await putTemplate('section', '=== user ===\nWrite {{part}} of {{title}} for {{readership}}.\n');
    const error = await failure(newWith({}));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/section\.md: unknown placeholder \{\{readership\}\}/);
    expect(server().requests).toHaveLength(0);
    expect(await readdir(tempDir())).toEqual(['.draft']);
  });

  it('--dry-run validates draft.config.json like a real run', async () => {
    await writeFile(join(tempDir(), 'draft.config.json'), JSON.stringify({ concurrency: 'lots' }));
    const error = await failure(newWith({ dryRun: true }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('draft.config.json: concurrency must be a whole number');
  });

  it('--dry-run still works with no provider configured at all', async () => {
    const { stdout } = await runCommand((ctx) => runNew({ topic: 'Chips', dryRun: true, yes: true }, ctx), { cwd: tempDir(), env: {} });
    expect(stdout).toContain('Dry run: nothing will be sent. Model: not configured');
  });
});

describe('draft batch checks the same before spending', () => {
  it('a broken template and an output folder that is a file: exit 2, nothing sent', async () => {
    await writeFile(join(tempDir(), 'briefs.yaml'), '- id: one\n  topic: Chips\n  sections: 1\n  words: 150\n');
    await writeFile(join(tempDir(), 'out'), 'a file\n');
    await putTemplate('outline', '=== user ===\nOutline {{topic}} in {{languag}}.\n');
    const error = await failure((ctx) => runBatch('briefs.yaml', { out: 'out', ...provider() }, ctx));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('2 problems:');
    expect(error.message).toContain('output folder "out" is a file, not a folder');
    expect(error.message).toMatch(/outline\.md: unknown placeholder \{\{languag\}\}/);
    expect(server().requests).toHaveLength(0);
  });

  it('honours fileName from draft.config.json, with {slug} = the brief id', async () => {
    await writeFile(join(tempDir(), 'draft.config.json'), JSON.stringify({ fileName: 'post-{slug}.md' }));
    await writeFile(join(tempDir(), 'briefs.yaml'), '- id: one\n  topic: Chips\n  sections: 1\n  words: 150\n');
    await runCommand((ctx) => runBatch('briefs.yaml', provider(), ctx), { cwd: tempDir(), env: env() });
    expect(await readdir(join(tempDir(), 'drafts'))).toEqual(['post-one.md']);
  });

  it('a config fileName without a Markdown extension is a config error', async () => {
    await writeFile(join(tempDir(), 'draft.config.json'), JSON.stringify({ fileName: '{slug}' }));
    await writeFile(join(tempDir(), 'briefs.yaml'), '- id: one\n  topic: Chips\n');
    const error = await failure((ctx) => runBatch('briefs.yaml', provider(), ctx));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('draft.config.json: fileName must end in .md, .markdown or .mdx, e.g. "{slug}.md"');
    expect(server().requests).toHaveLength(0);
  });
});
