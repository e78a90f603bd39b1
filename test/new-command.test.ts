import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { RunOptions } from './support/cli.js';
import { runDraft } from './support/run-command.js';
import { requestKind, scriptedModel } from './support/scripted-model.js';
import { seedNewArgs } from './support/seed-brief.js';
import { useServerAndTempDir } from './support/server-and-dir.js';
import { startTestServer } from './support/test-server.js';

const KEY = 'sk-test-SECRET-0123456789abcdef';
const { server, tempDir } = useServerAndTempDir();

const SEED_ARGS = seedNewArgs();

/** The test server and a short timeout, before the test's own flags so that a test's `--retries` wins. */
function draft([command, ...args]: string[], env: Record<string, string | undefined> = {}, extra: Partial<RunOptions> = {}) {
  return runDraft([command!, '--base-url', server().url, '--retries', '2', '--timeout', '5', ...args], {
    cwd: tempDir(),
    env: { OPENAI_API_KEY: KEY, ...env },
    ...extra,
  });
}

async function draftsIn(dir = join(tempDir(), 'drafts')): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

function splitFile(text: string): { data: any; body: string } {
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!m) throw new Error(`no front matter in:\n${text.slice(0, 300)}`);
  return { data: parseYaml(m[1]!), body: m[2]! };
}

describe('draft new, happy path', () => {
  it('writes a front-mattered draft with every section, the link, keywords and collaboration notes', async () => {
    server().setDelay(50);
    const result = await draft([...SEED_ARGS, '--json']);
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);

    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ title: expect.any(String), slug: expect.any(String), words: expect.any(Number) });
    expect(json.usage.inputTokens).toBeGreaterThan(0);
    expect(json.usage.requests).toBe(7); // outline + introduction + 5 sections
    expect(json.path).toBe(join(tempDir(), 'drafts', `${json.slug}.md`));

    const text = await readFile(json.path, 'utf8');
    expect(text).not.toContain(KEY);
    const { data, body } = splitFile(text);
    expect(data.title).toBe(json.title);
    expect(data.slug).toBe(json.slug);
    expect(typeof data.date).toBe('string');
    expect(data.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(data.description.length).toBeLessThanOrEqual(160);
    expect(data.tags.length).toBeGreaterThan(0);
    expect(data.keywords).toEqual(['DeepSeek', 'Nvidia']);
    expect(data.author).toBe('Manolo');
    expect(data.draft).toBe(true);
    expect(data.draft_state.provider).toBe('custom');
    expect(data.draft_state.model).toBe('gpt-4o-mini');
    expect(data.draft_state.usage.requests).toBe(7);
    expect(data.draft_state.sections).toHaveLength(6);
    expect(data.draft_state.log.map((e: any) => e.action)).toEqual(
      expect.arrayContaining(['brief', 'direction', 'links-requested', 'keywords-requested', 'outline-generated', 'sections-drafted']),
    );

    expect(body.match(/^## /gm)).toHaveLength(6); // 5 sections + the notes heading
    expect(body).toContain('[DeepSeek R1: Revolutionising Open-Source AI](https://example.com/blog/deepseek-r1)');
    expect(body.match(/<!-- draft:collaboration-notes -->/g)).toHaveLength(1);
    const notes = body.slice(body.indexOf('<!-- draft:collaboration-notes -->'));
    expect(notes).toContain('## Collaboration notes');
    expect(notes).toContain('**Manolo provided:**');
    expect(notes).toContain('Shift the focus toward the financial and business implications');
    expect(notes).toContain('SEO keywords to target: DeepSeek, Nvidia');
    expect(notes).toMatch(/Drafted the introduction and 5 sections/);

    // Sections after the outline ran in parallel, not one after another.
    expect(server().maxInFlight).toBeGreaterThan(1);
    expect(server().maxInFlight).toBeLessThanOrEqual(4);
    // The outline asked for Structured Outputs first.
    expect(server().requests[0]!.body.response_format.type).toBe('json_schema');
    // Summary on stderr, nothing coloured (not a TTY).
    expect(result.stderr).toMatch(/Wrote .*\.md/);
    expect(result.stderr).toMatch(/tokens\s+\d+ in/);
    expect(result.stderr).not.toMatch(/\x1b\[/);
  });

  it('bounds model calls in flight by --concurrency', async () => {
    server().setDelay(40);
    const result = await draft([...SEED_ARGS, '--concurrency', '2', '--sections', '6']);
    expect(result.code).toBe(0);
    expect(server().maxInFlight).toBe(2);
  });

  it('repairs a link the model left out, and says so in the notes', async () => {
    server().setHandler(scriptedModel({ omitLinks: true }));
    const result = await draft([...SEED_ARGS, '--json']);
    expect(result.code).toBe(0);
    const text = await readFile(JSON.parse(result.stdout).path, 'utf8');
    expect(text).toContain('](https://example.com/blog/deepseek-r1)');
    expect(server().requests.some((r) => requestKind(r) === 'link')).toBe(true);
    expect(text).toMatch(/Worked the missing link \[DeepSeek R1/);
  });

  it.each([
    ['far too long', { content: 'On and on. '.repeat(2000) }],
    ['cut off', { content: 'The section, with the link half', finishReason: 'length' }],
  ] as const)('a link repair reply %s is not worth the draft: the link is added as a sentence instead', async (_, reply) => {
    server().setHandler(scriptedModel({ omitLinks: true, override: (kind) => (kind === 'link' ? reply : undefined) }));
    const result = await draft([...SEED_ARGS, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const text = await readFile(JSON.parse(result.stdout).path, 'utf8');
    expect(text).toContain('see our earlier post: [DeepSeek R1: Revolutionising Open-Source AI](https://example.com/blog/deepseek-r1).');
    expect(text).not.toContain('On and on.');
    expect(text).toMatch(/Added the missing link \[DeepSeek R1/);
    // The repair asked for about the section's length, not the model's whole budget.
    const repair = server().requests.find((r) => requestKind(r) === 'link')!;
    expect(repair.body.max_completion_tokens ?? repair.body.max_tokens).toBeLessThan(2000);
  });

  it('never overwrites an existing draft: adds a suffix, and --force replaces', async () => {
    const first = JSON.parse((await draft([...SEED_ARGS, '--json'])).stdout);
    const before = await readFile(first.path, 'utf8');
    const second = JSON.parse((await draft([...SEED_ARGS, '--json'])).stdout);
    expect(second.path).toBe(first.path.replace(/\.md$/, '-2.md'));
    expect(await readFile(first.path, 'utf8')).toBe(before);
    const third = JSON.parse((await draft([...SEED_ARGS, '--json', '--force'])).stdout);
    expect(third.path).toBe(first.path);
    expect(await draftsIn()).toHaveLength(2);
  });

  it('keeps a hostile working title from escaping the output folder', async () => {
    // A NUL cannot travel in argv, so the hostile title comes from a JSON brief.
    await writeFile(join(tempDir(), 'brief.json'), JSON.stringify({ topic: 'x', title: '../../etc/passwd\u0000/CON', keepTitle: true }));
    const result = await draft(['new', '--brief', 'brief.json', '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.path.startsWith(`${join(tempDir(), 'drafts')}/`)).toBe(true);
    expect(json.slug).toMatch(/^[a-z0-9-]+$/);
  });

  it('reads a YAML brief file, with flags overriding its fields, and honours --out and --file-name', async () => {
    await writeFile(
      join(tempDir(), 'brief.yaml'),
      'topic: From the file\naudience: investors\nsections: 3\nkeywords: [Nvidia]\n' +
        'links:\n  - title: Earlier post\n    url: https://example.com/earlier\n',
    );
    const result = await draft([
      'new',
      '--brief',
      'brief.yaml',
      '--topic',
      'From the flag',
      '--out',
      'posts',
      '--file-name',
      '{date}-{slug}.md',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.path).toMatch(/posts\/\d{4}-\d{2}-\d{2}-[a-z0-9-]+\.md$/);
    expect(json.sections).toHaveLength(3);
    const outlinePrompt = server().requests[0]!.body.messages.at(-1).content as string;
    expect(outlinePrompt).toContain('Topic: From the flag');
    expect(outlinePrompt).toContain('Audience: investors');
    expect(await readFile(json.path, 'utf8')).toContain('](https://example.com/earlier)');
  });

  it('keeps <think> blocks and prose around the JSON out of the post', async () => {
    server().setHandler(scriptedModel({ chattyOutline: true, repeatHeading: true }));
    const result = await draft([...SEED_ARGS, '--json']);
    expect(result.code).toBe(0);
    const text = await readFile(JSON.parse(result.stdout).path, 'utf8');
    expect(text).not.toMatch(/think/i);
    expect(text).not.toContain('Hope this helps');
    // A reply that repeated its own heading does not produce a doubled heading.
    expect(text).not.toMatch(/^## (.+)\n\n## \1$/m);
  });

  it('--dry-run prints the outline request and an estimate, and sends nothing', async () => {
    const result = await draft([...SEED_ARGS, '--dry-run']);
    expect(result.code).toBe(0);
    expect(server().requests).toHaveLength(0);
    expect(result.stdout).toContain('# Outline request');
    expect(result.stdout).toMatch(/Estimated total: ~\d+ tokens in, ~\d+ out, 7 requests; cost \$/);
    expect(await draftsIn()).toEqual([]);
  });
});

describe('draft new, bad input (exit 2, nothing sent, nothing written)', () => {
  it('a missing topic without a terminal is a usage error', async () => {
    const result = await draft(['new', '--direction', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--topic is required/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(server().requests).toHaveLength(0);
  });

  it('reports every bad field at once, naming the flag', async () => {
    const result = await draft(['new', '--topic', 'x', '--words', 'lots', '--sections', '99', '--link', 'no-url-here']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--words/);
    expect(result.stderr).toMatch(/--sections/);
    expect(result.stderr).toMatch(/--link: "no-url-here" must look like "Title=https:\/\/…"/);
    expect(result.stderr.trim().split('\n')).toHaveLength(5); // "3 problems:", one line each, then the hint
    expect(server().requests).toHaveLength(0);
  });

  it('with no provider configured, fails before any work and shows the three ways to configure one', async () => {
    const result = await runDraft(['new', '--topic', 'x'], { cwd: tempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no model provider is configured');
    expect(result.stderr).toMatch(/1\. environment/);
    expect(result.stderr).toMatch(/2\. flags/);
    expect(result.stderr).toMatch(/3\. config file/);
  });

  it('an invalid config file names the file and field', async () => {
    await writeFile(join(tempDir(), 'draft.config.json'), JSON.stringify({ concurrency: 0, apiKeyEnv: 'X' }));
    const result = await draft(['new', '--topic', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/draft\.config\.json: concurrency/);
  });

  it('an unknown flag is a usage error', async () => {
    const result = await draft(['new', '--topik', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--topik'/);
  });
});

describe('draft new, provider failures (exit 1, no file, key never shown)', () => {
  it('401: says authentication failed for the base URL and which variable was read', async () => {
    server().setHandler(() => ({
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error', code: 'invalid_api_key' } },
    }));
    const result = await draft([...SEED_ARGS, '--debug']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`authentication failed for ${server().url}`);
    expect(result.stderr).toContain('OPENAI_API_KEY');
    expect(result.stderr + result.stdout).not.toContain(KEY);
    expect(result.stderr + result.stdout).not.toContain('0123456789abcdef');
    expect(await draftsIn()).toEqual([]);
  });

  it('404: names the model and the base URL', async () => {
    server().setHandler(() => ({ status: 404, body: { error: { message: 'The model `nope` does not exist', code: 'model_not_found' } } }));
    const result = await draft([...SEED_ARGS, '--model', 'nope']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nope');
    expect(result.stderr).toContain(server().url);
  });

  it('429 with retry-after: retried, then succeeds', async () => {
    // The 503 says when too (retry-after-ms, as OpenAI sends it): the default backoff is retry-wait.test.ts's subject.
    server().queue({ status: 429, headers: { 'retry-after': '0' } }, { status: 503, headers: { 'retry-after-ms': '10' } });
    const result = await draft([...SEED_ARGS, '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/retry 1\/2/);
    expect(await draftsIn()).toHaveLength(1);
  });

  it('persistent 5xx: a clear error after the retries, and no file', async () => {
    server().setHandler(() => ({ status: 500, headers: { 'retry-after-ms': '10' }, body: { error: { message: 'upstream exploded' } } }));
    const result = await draft(SEED_ARGS); // --retries 2
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error: .*500/);
    expect(server().requests).toHaveLength(3);
    expect(await draftsIn()).toEqual([]);
  });

  it('connection refused: "cannot reach <base URL>"', async () => {
    const closed = await startTestServer();
    const url = closed.url;
    await closed.close();
    // One retry shows it is retried; the default's backoff would only add seconds.
    const result = await runDraft([...SEED_ARGS, '--base-url', url, '--retries', '1'], { cwd: tempDir(), env: { OPENAI_API_KEY: KEY } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot reach ${url}`);
  });

  it('a stalled stream hits the idle timeout and is retried', async () => {
    server().queue({ stallAfterChunks: 2, content: '{"title": "never finished' });
    const result = await runDraft([...SEED_ARGS, '--base-url', server().url, '--timeout', '0.5', '--json'], {
      cwd: tempDir(),
      env: { OPENAI_API_KEY: KEY },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/no response from .* for 500 ms \(the outline\); retry 1/);
    expect(await draftsIn()).toHaveLength(1);
  });

  it('finish_reason "length" on a section is reported by name, never written', async () => {
    server().setHandler(
      scriptedModel({ override: (kind) => (kind === 'section' ? { content: 'Half a sent', finishReason: 'length' } : undefined) }),
    );
    const result = await draft(SEED_ARGS);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cut off \(finish_reason: length\)/);
    expect(await draftsIn()).toEqual([]);
  });

  it('an empty reply is reported by name', async () => {
    server().setHandler(scriptedModel({ override: (kind) => (kind === 'section' ? { content: '' } : undefined) }));
    const result = await draft(SEED_ARGS);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/empty reply/);
    expect(await draftsIn()).toEqual([]);
  });

  it('an unparseable outline is retried once with the error, then fails clearly', async () => {
    server().setHandler(() => ({ content: 'I would love to help, but here is a poem instead.' }));
    const result = await draft(SEED_ARGS);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/outline was unusable twice/);
    expect(server().requests).toHaveLength(2);
    expect(server().requests[1]!.body.messages.at(-1).content).toMatch(/previous reply was rejected/);
  });

  it('falls back from json_schema to json_object when the server rejects Structured Outputs', async () => {
    server().setHandler((req, i) =>
      req.body.response_format?.type === 'json_schema'
        ? { status: 400, body: { error: { message: "response_format type 'json_schema' is not supported" } } }
        : scriptedModel()(req, i),
    );
    const result = await draft([...SEED_ARGS, '--json']);
    expect(result.code).toBe(0);
    expect(server().requests[1]!.body.response_format.type).toBe('json_object');
  });
});

describe('draft new, a failed run', () => {
  it('an existing draft is untouched by a failed run', async () => {
    await mkdir(join(tempDir(), 'drafts'));
    const existing = join(tempDir(), 'drafts', 'understanding-deepseeks-disruption-of-the-ai-business.md');
    await writeFile(existing, 'hand-written, keep me\r\n');
    server().setHandler(scriptedModel({ override: (kind) => (kind === 'section' ? { status: 500 } : undefined) }));
    const result = await draft([...SEED_ARGS, '--retries', '0', '--force']);
    expect(result.code).toBe(1);
    expect(await readFile(existing, 'utf8')).toBe('hand-written, keep me\r\n');
    expect(await draftsIn()).toEqual(['understanding-deepseeks-disruption-of-the-ai-business.md']);
  });
});
