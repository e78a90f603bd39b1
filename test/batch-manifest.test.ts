import { describe, expect, it } from 'vitest';
import { draft, filesIn, put, readJson, useBatchEnv } from './fixtures/batch/harness.js';

const env = useBatchEnv();

const MIXED = `defaults:
  author: Manolo
  sections: 1
  words: 150
briefs:
  - id: good
    topic: A valid brief
  - id: too-short
    topic: Words out of range
    words: 50
  - id: no-topic
    audience: investors
  - id: extra-field
    topic: Has an unknown field
    colour: blue
  - id: good
    topic: Same id as the first
  - id: "a/b"
    topic: An id that is a path
  - id: bad-link
    topic: Links must be URLs
    links:
      - title: Somewhere
        url: ftp://example.com/x
`;

describe('draft batch: the manifest is validated before anything is sent', () => {
  it('reports every invalid entry with its line, index and field, sends nothing, writes nothing, exits 2', async () => {
    await put(env, 'briefs.yaml', MIXED);
    const result = await draft(env, ['batch', 'briefs.yaml', '--report', 'report.json'], { GITHUB_ACTIONS: 'true' });
    expect(result.code).toBe(2);
    expect(env.server.requests).toHaveLength(0);
    expect(await filesIn(env)).toEqual([]);
    const err = result.stderr;
    expect(err).toContain('6 invalid brief(s); nothing was sent');
    expect(err).toContain('briefs.yaml:8: briefs[1]: words must be a whole number from 150 to 10000');
    expect(err).toContain('briefs.yaml:11: briefs[2]: topic is required');
    expect(err).toContain('briefs.yaml:13: briefs[3]: colour is not a known field');
    expect(err).toContain('briefs.yaml:16: briefs[4]: id "good" is already used by briefs.yaml:6: briefs[0]');
    expect(err).toMatch(/briefs\.yaml:18: briefs\[5\]: id must be 1-100 letters/);
    expect(err).toMatch(/briefs\.yaml:20: briefs\[6\]: links\[0\]\.url must be an http\(s\) URL/);
    expect(err).not.toMatch(/briefs\[0\]:/);
    expect(err).toContain('--skip-invalid');
    // On GitHub Actions each one is also an annotation on its line of the manifest.
    expect(result.stdout).toContain(
      '::error file=briefs.yaml,line=8,title=draft batch%3A invalid brief::words must be a whole number from 150 to 10000\n',
    );
    expect(result.stdout.match(/^::error /gm)).toHaveLength(6);

    // The report still accounts for every brief: the valid one was not run.
    const report = await readJson(env, 'report.json');
    expect(report.totals).toMatchObject({ briefs: 7, invalid: 6, notRun: 1, requests: 0 });
    expect(report.entries.map((e: any) => e.status)).toEqual(['not-run', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid']);
  });

  it('with --skip-invalid drafts the valid briefs and reports the others', async () => {
    await put(env, 'briefs.yaml', MIXED);
    const result = await draft(env, ['batch', 'briefs.yaml', '--skip-invalid', '--report', 'report.json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning: skipping invalid brief briefs.yaml:8: briefs[1]: words must be a whole number from 150 to 10000',
    );
    expect(await filesIn(env)).toEqual(['good.md']);
    const report = await readJson(env, 'report.json');
    expect(report.totals).toMatchObject({ briefs: 7, ok: 1, invalid: 6 });
    expect(report.entries[1]).toMatchObject({
      id: 'too-short',
      status: 'invalid',
      source: 'briefs.yaml:8: briefs[1]',
      error: 'words must be a whole number from 150 to 10000',
    });
  });

  it('numbers JSONL entries by line, and a line that is not JSON is an invalid entry, not a crash', async () => {
    await put(
      env,
      'briefs.jsonl',
      [
        '{"id": "one", "topic": "First", "sections": 1, "words": 150}',
        '',
        '{"id": "two", "topic": ',
        '{"id": "three", "topic": "Third", "sections": 40}',
      ].join('\n'),
    );
    const result = await draft(env, ['batch', 'briefs.jsonl']);
    expect(result.code).toBe(2);
    expect(env.server.requests).toHaveLength(0);
    expect(result.stderr).toMatch(/briefs\.jsonl:3: not valid JSON/);
    expect(result.stderr).toContain('briefs.jsonl:4: sections must be a whole number from 1 to 15');
    expect(result.stderr).not.toContain('briefs.jsonl:1');
  });

  it('names the file for a folder of briefs, and uses each file name as the id', async () => {
    await put(env, 'briefs/alpha.yaml', 'topic: Alpha\nsections: 1\nwords: 150\n');
    await put(env, 'briefs/beta.json', '{"topic": "Beta", "sections": 1, "words": 150}');
    await put(env, 'briefs/broken.yaml', 'topic: [unclosed\n');
    await put(env, 'briefs/wrong.yml', 'topic: Wrong\nwords: many\n');
    await put(env, 'briefs/notes.txt', 'not a brief');
    const bad = await draft(env, ['batch', 'briefs']);
    expect(bad.code).toBe(2);
    expect(env.server.requests).toHaveLength(0);
    expect(bad.stderr).toMatch(/briefs\/broken\.yaml:\d+: not valid YAML/);
    expect(bad.stderr).toMatch(/briefs\/wrong\.yml: words must be a whole number/);
    expect(bad.stderr).toContain('2 invalid brief(s)');

    const good = await draft(env, ['batch', 'briefs', '--skip-invalid']);
    expect(good.code).toBe(0);
    expect(await filesIn(env)).toEqual(['alpha.md', 'beta.md']);
  });

  it('refuses two briefs that would write the same file', async () => {
    await put(
      env,
      'briefs.yaml',
      'defaults:\n  sections: 1\nbriefs:\n  - id: a\n    topic: A\n    output: posts/same.md\n' +
        '  - id: b\n    topic: B\n    output: ./posts/../posts/same.md\n',
    );
    const result = await draft(env, ['batch', 'briefs.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'briefs.yaml:7: briefs[1]: output drafts/posts/same.md is already the output of briefs.yaml:4: briefs[0]',
    );
  });

  it('rejects a manifest whose shape or defaults are wrong as a whole', async () => {
    await put(env, 'shape.yaml', 'briefs:\n  topic: not a list\n');
    await put(env, 'defaults.yaml', 'defaults:\n  words: lots\n  id: shared\nbriefs:\n  - topic: A\n');
    await put(env, 'empty.json', '[]');
    const shape = await draft(env, ['batch', 'shape.yaml']);
    const defaults = await draft(env, ['batch', 'defaults.yaml']);
    const empty = await draft(env, ['batch', 'empty.json']);
    expect([shape.code, defaults.code, empty.code]).toEqual([2, 2, 2]);
    expect(shape.stderr).toContain('shape.yaml: briefs must be a list');
    expect(defaults.stderr).toMatch(/defaults\.yaml: invalid defaults: id belongs to each brief.*words must be a whole number/);
    expect(empty.stderr).toContain('empty.json: the manifest holds no briefs');
    expect(env.server.requests).toHaveLength(0);
  });

  it('--dry-run prints the plan with tokens and cost for a JSON list, and sends nothing', async () => {
    await put(
      env,
      'briefs.json',
      JSON.stringify([
        { id: 'first', topic: 'The first topic', sections: 3, keywords: ['DeepSeek'] },
        { topic: 'Second topic, no id', output: 'posts/second.md' },
      ]),
    );
    const result = await draft(env, ['batch', 'briefs.json', '--dry-run']);
    expect(result.code).toBe(0);
    expect(env.server.requests).toHaveLength(0);
    expect(await filesIn(env)).toEqual([]);
    const out = result.stdout;
    expect(out).toContain('Dry run: nothing will be sent. 2 brief(s) from briefs.json; model gpt-4o-mini');
    expect(out).toMatch(/^first\s+drafts\/first\.md\s+5\s+\d+\s+\d+\s+\$0\.\d{4}/m);
    expect(out).toMatch(/^second-topic-no-id\s+drafts\/posts\/second\.md\s+7\s+\d+\s+\d+\s+\$0\.\d{4}/m);
    expect(out).toMatch(/Total: 2 draft\(s\) to write, ~12 requests, ~\d+ tokens in, ~\d+ out, cost ~\$0\.\d{4}/);
  });
});
