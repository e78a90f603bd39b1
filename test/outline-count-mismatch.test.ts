/**
 * Small models ignore a section count stated only in prose. The count goes into the JSON Schema;
 * a model that still proposes another count after the retry gets its outline accepted and the user
 * told (summary, --json, report.json, log), unless --strict-outline. In-process, scripted server.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../src/commands/batch.js';
import { runNew } from '../src/commands/new.js';
import { runCommand } from './support/run-command.js';
import { lastUserMessage, outlineReply, scriptedModel } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-outline-count-');
const env = () => ({ OPENAI_API_KEY: 'sk-test-outline-count-0123456789', DRAFT_CACHE_DIR: join(tempDir(), 'cache') });

/** A model that always outlines five sections, whatever it is asked. */
function ignoresTheCount() {
  server().setHandler(
    scriptedModel({
      override: (kind, req) =>
        kind === 'outline'
          ? { content: JSON.stringify(outlineReply(lastUserMessage(req).replace(/(Number of sections[^:]*:\s*)\d+/, '$15'))) }
          : undefined,
    }),
  );
}

function draftNew(flags: Record<string, unknown> = {}) {
  return runCommand(
    (ctx) => runNew({ yes: true, topic: 'Chip markets', sections: '3', baseUrl: server().url, retries: '0', ...flags }, ctx),
    {
      cwd: tempDir(),
      env: env(),
    },
  );
}

const outlineRequests = () => server().requests.filter((r) => r.body.response_format !== undefined || /# Outline/.test(lastUserMessage(r)));

describe('the section count', () => {
  it('is in the JSON Schema the server is given', async () => {
    await draftNew();
    const schema = server().requests[0]!.body.response_format.json_schema.schema;
    expect(schema.properties.sections).toMatchObject({ minItems: 3, maxItems: 3 });
  });

  it('that the model keeps ignoring gives the model’s outline, said in the summary, --json and the log', async () => {
    ignoresTheCount();
    const { stdout, stderr } = await draftNew({ json: true });
    // Asked once more with the problem, then accepted.
    expect(outlineRequests()).toHaveLength(2);
    expect(lastUserMessage(outlineRequests()[1]!)).toContain('expected 3 sections, got 5');
    expect(stderr).toContain('the model proposed 5 sections instead of 3');
    const result = JSON.parse(stdout);
    expect(result.warnings).toEqual(['the model proposed 5 sections instead of 3']);
    expect(result.sections).toHaveLength(5);

    const [name] = await readdir(join(tempDir(), 'drafts'));
    const text = await readFile(join(tempDir(), 'drafts', name!), 'utf8');
    const state = parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(text)![1]!).draft_state;
    expect(state.log.find((e: any) => e.action === 'outline-count-differs')?.details).toEqual({ expected: 3, got: 5 });
    expect(text).toContain('Proposed 5 sections instead of the 3 asked for');
  });

  it('fails the run as before with --strict-outline, writing nothing', async () => {
    ignoresTheCount();
    await expect(draftNew({ strictOutline: true })).rejects.toThrow(/outline was unusable.*expected 3 sections, got 5/);
    await expect(readdir(join(tempDir(), 'drafts'))).rejects.toThrow();
  });

  it('is reported per draft in a batch report', async () => {
    ignoresTheCount();
    await writeFile(join(tempDir(), 'briefs.yaml'), '- id: chips\n  topic: Chip markets\n  sections: 3\n');
    const { stderr } = await runCommand(
      (ctx) => runBatch('briefs.yaml', { report: 'report.json', retries: '0', baseUrl: server().url }, ctx),
      { cwd: tempDir(), env: env() },
    );
    const report = JSON.parse(await readFile(join(tempDir(), 'report.json'), 'utf8'));
    expect(report.entries[0]).toMatchObject({ status: 'ok', warnings: ['the model proposed 5 sections instead of 3'] });
    expect(String(stderr)).toContain('5 sections instead of 3');
  });
});
