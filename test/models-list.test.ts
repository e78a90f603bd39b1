import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModelsList } from '../src/commands/models.js';
import type { CommandContext } from '../src/commands/context.js';
import { listLocalModels } from '../src/core/local/list-models.js';
import { findDefaultLocalModel, modelsDir } from '../src/core/local/models-dir.js';
import { runCommand } from './support/run-command.js';
import { TEST_MODEL, testModelUnavailable } from './support/test-model.js';

const modelMissing = testModelUnavailable('models list (needs the test model)');
const canReadGguf =
  !modelMissing &&
  (await import('node-llama-cpp').then(
    () => true,
    () => false,
  ));

describe('models folder', () => {
  it('is DRAFT_MODELS_DIR, else under XDG_CACHE_HOME, else ~/.cache', () => {
    expect(modelsDir({ DRAFT_MODELS_DIR: '/m', HOME: '/h' })).toBe('/m');
    expect(modelsDir({ XDG_CACHE_HOME: '/c', HOME: '/h' })).toBe('/c/draft/models');
    expect(modelsDir({ HOME: '/h' })).toBe('/h/.cache/draft/models');
    expect(modelsDir({ DRAFT_MODELS_DIR: '~/models', HOME: '/h' })).toBe('/h/models');
  });
});

describe('default local model', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'draft-models-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is DRAFT_LOCAL_MODEL when set, with ~ expanded', () => {
    expect(findDefaultLocalModel({ DRAFT_LOCAL_MODEL: '/x/model.gguf', DRAFT_MODELS_DIR: dir })).toBe('/x/model.gguf');
    expect(findDefaultLocalModel({ DRAFT_LOCAL_MODEL: '~/m.gguf', HOME: '/h' })).toBe('/h/m.gguf');
  });

  it('is the first GGUF file by name in the models folder, ignoring partial downloads', async () => {
    expect(findDefaultLocalModel({ DRAFT_MODELS_DIR: join(dir, 'missing') })).toBeUndefined();
    const folder = join(dir, 'pick');
    await mkdir(folder);
    expect(findDefaultLocalModel({ DRAFT_MODELS_DIR: folder })).toBeUndefined();
    await writeFile(join(folder, 'a.gguf.partial'), 'GGUF');
    await writeFile(join(folder, 'notes.txt'), 'x');
    expect(findDefaultLocalModel({ DRAFT_MODELS_DIR: folder })).toBeUndefined();
    await writeFile(join(folder, 'z-model.gguf'), 'GGUF');
    await writeFile(join(folder, 'b-model.GGUF'), 'GGUF');
    expect(findDefaultLocalModel({ DRAFT_MODELS_DIR: folder })).toBe(join(folder, 'b-model.GGUF'));
  });
});

describe.skipIf(modelMissing !== undefined)('models list', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'draft-models-list-'));
    // A link, not a copy: the shared model stays where it is.
    await symlink(TEST_MODEL, join(dir, 'stories260K.gguf'));
    await writeFile(join(dir, 'broken.gguf'), 'this is not a model');
    await writeFile(join(dir, 'readme.txt'), 'not listed');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!canReadGguf)('reads architecture, parameters, quantisation and context length from the header', async () => {
    const { models, metadataRead } = await listLocalModels(dir);
    expect(metadataRead).toBe(true);
    expect(models.map((m) => m.fileName)).toEqual(['broken.gguf', 'stories260K.gguf']);
    const [broken, stories] = models;
    expect(broken).toMatchObject({ sizeBytes: 19 });
    expect(broken!.error).toMatch(/GGUF/);
    expect(stories).toMatchObject({
      architecture: 'llama',
      contextLength: 2048,
      sizeBytes: 1_185_376,
      parameters: 292_800,
      quantization: 'F32',
    });
  });

  it('lists files with their size only when node-llama-cpp is missing', async () => {
    const missing = () => Promise.reject(Object.assign(new Error('not found'), { code: 'ERR_MODULE_NOT_FOUND' }));
    const { models, metadataRead } = await listLocalModels(dir, { importer: missing });
    expect(metadataRead).toBe(false);
    expect(models).toHaveLength(2);
    expect(models[1]).toEqual({ path: join(dir, 'stories260K.gguf'), fileName: 'stories260K.gguf', sizeBytes: 1_185_376 });
  });

  it.skipIf(!canReadGguf)('renders a table on stdout, and JSON with --json', async () => {
    const table = await run((ctx) => runModelsList({ dir }, ctx), { DRAFT_MODELS_DIR: dir });
    expect(table.stdout).toMatch(/^\s+FILE\s+ARCH\s+PARAMS\s+QUANT\s+CONTEXT\s+SIZE/m);
    expect(table.stdout).toMatch(/^\*\s+stories260K\.gguf\s+llama\s+293K\s+F32\s+2048\s+1\.1 MiB$/m);
    expect(table.stdout).toMatch(/^\s+broken\.gguf\s+unreadable/m);
    expect(table.stderr).toMatch(/broken\.gguf: /);

    const json = await run((ctx) => runModelsList({ dir, json: true }, ctx), {});
    const parsed = JSON.parse(json.stdout);
    expect(parsed.dir).toBe(dir);
    expect(parsed.models[1]).toMatchObject({ fileName: 'stories260K.gguf', architecture: 'llama', contextLength: 2048 });
  });

  it('says how to get a model when the folder is empty', async () => {
    const empty = join(dir, 'empty');
    const result = await run((ctx) => runModelsList({ dir: empty }, ctx), {});
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`No GGUF models in ${empty}`);
    expect(result.stderr).toContain('draft models pull qwen2.5-3b-instruct');
  });
});

function run(command: (ctx: CommandContext) => Promise<void>, env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return runCommand(command, { cwd: process.cwd(), env });
}
