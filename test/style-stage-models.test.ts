import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../src/core/document/front-matter.js';
import { readMachineState } from '../src/core/document/machine-state.js';
import { drafter, writePost } from './fixtures/revise/harness.js';
import { requestKind } from './support/scripted-model.js';
import { seedNewArgs } from './support/seed-brief.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-stage-models-');
const draft = drafter(server, tempDir);

const PRICES = {
  'planner-model': { input: 10, output: 30 },
  'drafter-model': { input: 0.1, output: 0.2 },
  'reviser-model': { input: 1, output: 2 },
};

async function config(models: Record<string, unknown>): Promise<void> {
  await writePost(tempDir(), 'draft.config.json', JSON.stringify({ models, prices: PRICES }));
}

const modelsBy = (kind: string) => [
  ...new Set(
    server()
      .requests.filter((r) => requestKind(r) === kind)
      .map((r) => r.body?.model),
  ),
];

async function stateOf(path: string) {
  const text = await readFile(path, 'utf8');
  return { text, state: readMachineState(parseSource(text, path).data)! };
}

describe('a model per stage', () => {
  it('draft new: the outline goes to one model and the sections to another; state, costs and notes say which did what', async () => {
    await config({ outline: 'planner-model', section: 'drafter-model' });
    const result = await draft([...seedNewArgs(), '--sections', '3', '--yes', '--json', '--model', 'default-model']);
    expect(result.code, result.stderr).toBe(0);
    expect(modelsBy('outline')).toEqual(['planner-model']);
    expect(modelsBy('section')).toEqual(['drafter-model']);

    const { text, state } = await stateOf(JSON.parse(result.stdout).path);
    expect(state.log.find((e) => e.action === 'outline-generated')?.name).toBe('planner-model');
    expect(state.log.find((e) => e.action === 'sections-drafted')?.name).toBe('drafter-model');
    const used = state.log.find((e) => e.action === 'models-used')!.details!.models as {
      model: string;
      stages: string[];
      costUsd: number;
      requests: number;
    }[];
    expect(used.map((m) => [m.model, m.stages])).toEqual([
      ['planner-model', ['outline']],
      ['drafter-model', ['section']],
    ]);
    expect(used.every((m) => typeof m.costUsd === 'number' && m.costUsd > 0)).toBe(true);
    // The total is each model's tokens at its own price, not every token at the default model's (unknown) price.
    expect(state.usage?.costUsd).toBeCloseTo(
      used.reduce((sum, m) => sum + m.costUsd, 0),
      6,
    );
    expect(text).toMatch(
      /Models: planner-model planned the outline \(1 request, \$[\d.]+\); drafter-model drafted the sections \(4 requests, \$[\d.]+\)\./,
    );
    expect(text).toContain('- planner-model: Proposed the title');
    expect(text).toContain('- drafter-model: Drafted');
  });

  it('draft revise: models.revise answers the revision requests and is named in the log', async () => {
    await writePost(tempDir(), 'post.md', '---\ntitle: A post\n---\n\nIntro text here.\n\n## Part one\n\nSome text.\n');
    await config({ revise: 'reviser-model' });
    const result = await draft(['revise', 'post.md', '--instruction', 'make it shorter', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(modelsBy('revise')).toEqual(['reviser-model']);
    const { state } = await stateOf(join(tempDir(), 'post.md'));
    expect(state.log.find((e) => e.action === 'sections-revised')?.name).toBe('reviser-model');
  });

  it('a stage that names another provider without its key is refused before anything is sent, naming the stage', async () => {
    await config({ section: { provider: 'deepseek', model: 'deepseek-chat' } });
    const result = await draft([...seedNewArgs(), '--yes'], { env: { DEEPSEEK_API_KEY: undefined } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('models.section: DEEPSEEK_API_KEY is not set');
    expect(server().requests).toHaveLength(0);
  });

  it('an unknown stage in the config is refused, naming it', async () => {
    await config({ outlines: 'x' });
    const result = await draft([...seedNewArgs(), '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/models\.outlines is not a known field \(did you mean outline\?\)/);
  });

  it("draft batch: a brief can give its own stages on top of the config's, and a bad stage is named with the brief", async () => {
    await config({ outline: 'planner-model' });
    await writePost(
      tempDir(),
      'briefs.yaml',
      'briefs:\n  - id: own\n    topic: Chips and money\n    sections: 2\n' +
        '    models: { section: drafter-b }\n  - id: plain\n    topic: Rates and banks\n    sections: 2\n',
    );
    const result = await draft(['batch', 'briefs.yaml', '--model', 'default-model']);
    expect(result.code, result.stderr).toBe(0);
    const sentFor = (topic: string, kind: string) => [
      ...new Set(
        server()
          .requests.filter((r) => requestKind(r) === kind && JSON.stringify(r.body).includes(topic))
          .map((r) => r.body?.model),
      ),
    ];
    expect(sentFor('Chips and money', 'outline')).toEqual(['planner-model']);
    expect(sentFor('Chips and money', 'section')).toEqual(['drafter-b']);
    expect(sentFor('Rates and banks', 'outline')).toEqual(['planner-model']);
    expect(sentFor('Rates and banks', 'section')).toEqual(['default-model']);

    await writePost(tempDir(), 'bad.yaml', 'briefs:\n  - id: bad\n    topic: X\n    models: { sections: y }\n');
    const bad = await draft(['batch', 'bad.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('models.sections: is not a stage (stages: outline, section, revise, title, seo)');
  });
});
