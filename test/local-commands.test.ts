/**
 * `draft new` and `draft revise` with --provider local: real in-process inference through
 * node-llama-cpp on the 1 MB stories260K model (DRAFT_TEST_MODEL,
 * default ../shared/models). It writes children's stories, so
 * these tests judge structure, not prose.
 *
 * The model was trained on stories separated only by BOS and seldom ends a reply before the
 * context is full, so two things make these runs stable: the project overrides the section and
 * revision prompts with short story prompts (prompts are data, and overriding them is a feature),
 * and a fixed seed (DRAFT_LOCAL_SEED) under which every reply ends by itself on one thread.
 */
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from './support/cli.js';
import { runDraft } from './support/run-command.js';
import { TEST_MODEL, testModelUnavailable } from './support/test-model.js';

const MODEL = TEST_MODEL;
const haveEngine = testModelUnavailable('--provider local end-to-end tests', { needsEngine: true }) === undefined;

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await makeTempDir('draft-local-');
  await mkdir(join(tmp.dir, '.draft', 'prompts'), { recursive: true });
  await writeFile(join(tmp.dir, '.draft', 'prompts', 'section.md'), '=== user ===\n# Section request\nWrite now: {{part}}\n');
  await writeFile(join(tmp.dir, '.draft', 'prompts', 'revise-section.md'), '=== user ===\n# Revision request\nRevise now: {{part}}\n');
  await writeFile(join(tmp.dir, 'draft.config.json'), JSON.stringify({ local: { threads: 1, seed: 24 } }));
});
afterEach(async () => tmp.cleanup());

const local = ['--provider', 'local', '--model-path', MODEL, '--yes'];
const BRIEF = ['--topic', 'A cat who learns to share', '--sections', '1', '--words', '150', '--link', 'Cats=https://example.com/cats'];

function splitFile(text: string): { data: any; body: string } {
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text)!;
  return { data: parseYaml(m[1]!), body: m[2]! };
}

describe.skipIf(!haveEngine)('--provider local (stories260K, in-process)', () => {
  it('draft new writes a complete draft with front matter and notes, no server and no key', async () => {
    // No provider flag and no key: a configured local model is the default.
    const result = await runDraft(['new', '--yes', ...BRIEF, '--json'], {
      cwd: tmp.dir,
      env: { DRAFT_LOCAL_MODEL: MODEL },
      timeoutMs: 60_000,
    });
    expect(result.stderr).not.toMatch(/^error/m);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.provider).toBe('local');
    expect(json.usage.costUsd).toBe(0);
    expect(json.usage.inputTokens).toBeGreaterThan(0);
    expect(json.usage.outputTokens).toBeGreaterThan(0);
    expect(result.stderr).toContain('$0 (local)');

    const { data, body } = splitFile(await readFile(json.path, 'utf8'));
    expect(data).toMatchObject({ title: json.title, slug: json.slug, draft: true });
    expect(data.description.length).toBeLessThanOrEqual(160);
    expect(data.draft_state).toMatchObject({ provider: 'local', model: 'stories260K.gguf' });
    expect(data.draft_state.sections).toHaveLength(2); // introduction + 1 section
    expect(body.match(/^## /gm)).toHaveLength(2); // the section + the notes
    expect(body).toContain('](https://example.com/cats)');
    expect(body).toContain('<!-- draft:collaboration-notes -->');
    expect(body).toContain('the AI (stories260K.gguf) drafted');
  });

  it('draft revise rewrites one section in-process and leaves the rest byte-for-byte', async () => {
    // A hand-written post as a fixture file: drafting one first would only repeat the test above.
    const path = join(tmp.dir, 'cat.md');
    const intro = 'Once upon a time there was a little cat called Tom. He had a red ball.\n';
    const before =
      `---\ntitle: A cat who learns to share\n---\n${intro}\n## Tom and the ball\n\n` +
      'Tom did not want to share his ball with the dog. One day the dog was sad, so Tom gave him the ball and they played together.\n';
    await writeFile(path, before);

    // The environment's seed overrides the config file's: seed 1 is one where this revision ends by itself.
    const result = await runDraft(['revise', path, ...local, '--section', 'Tom and the ball', '--instruction', 'make it shorter'], {
      cwd: tmp.dir,
      env: { DRAFT_LOCAL_SEED: '1' },
      timeoutMs: 60_000,
    });
    expect(result.stderr).not.toMatch(/^error/m);
    expect(result.code).toBe(0);
    const after = await readFile(path, 'utf8');
    const { data, body } = splitFile(after);
    expect(data.title).toBe('A cat who learns to share');
    // The introduction (between the front matter and the first ##) is untouched; the section is not.
    expect(body.startsWith(`${intro}\n## Tom and the ball\n\n`)).toBe(true);
    expect(body).not.toContain('Tom did not want to share');
    expect(data.draft_state.log.some((e: any) => e.actor === 'ai' && e.name === 'stories260K.gguf' && /revis/.test(e.action))).toBe(true);
  });

  it('draft batch with --provider local loads the model once for every draft', async () => {
    // Same brief twice under two ids: with the seed, both drafts take the path the first test takes.
    const brief = { topic: 'A cat who learns to share', sections: 1, words: 150, links: ['Cats=https://example.com/cats'] };
    await writeFile(
      join(tmp.dir, 'briefs.json'),
      JSON.stringify([
        { id: 'one', ...brief },
        { id: 'two', ...brief },
      ]),
    );
    const result = await runDraft(
      ['batch', 'briefs.json', '--provider', 'local', '--model-path', MODEL, '--no-cache', '--debug', '--concurrency', '2'],
      {
        cwd: tmp.dir,
        timeoutMs: 90_000,
      },
    );
    expect(result.stderr).not.toMatch(/^error/m);
    expect(result.code).toBe(0);
    expect((await readdir(join(tmp.dir, 'drafts'))).filter((f) => f.endsWith('.md')).sort()).toEqual(['one.md', 'two.md']);
    expect(result.stderr.match(/local model chat format/g)).toHaveLength(1);
  });

  it('a model in the models folder is the default too', async () => {
    const models = join(tmp.dir, 'models');
    await mkdir(models);
    await symlink(MODEL, join(models, 'stories260K.gguf'));
    const result = await runDraft(['new', '--yes', ...BRIEF, '--dry-run'], { cwd: tmp.dir, env: { DRAFT_MODELS_DIR: models } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Model: .*stories260K\.gguf \(local\)/);
    expect(result.stdout).toContain('cost $0 (local)');
  });
});
