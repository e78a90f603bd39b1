/**
 * Issue 9: bad input is reported at once, in the user's terms. Every test runs the command in-process
 * against the scripted test server and checks the usage error (exit 2), its lines, and that nothing
 * was sent.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../src/commands/batch.js';
import type { CommandContext } from '../src/commands/context.js';
import { runNew } from '../src/commands/new.js';
import { runRevise } from '../src/commands/revise.js';
import { loadConfigFile, MAX_CONCURRENCY } from '../src/core/config.js';
import { resolveProviderSettings } from '../src/core/provider-settings.js';
import type { DraftError } from '../src/core/errors.js';
import { commandFailure } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-input-');
const env = () => ({ OPENAI_API_KEY: 'sk-test-input-0123456789abcdef' });
const provider = () => ({ baseUrl: server().url, retries: '0', timeout: '5' });

/** The usage error a command throws, with its exit code; fails the test if it does not throw. */
async function usageError(command: (ctx: CommandContext) => Promise<void>): Promise<DraftError> {
  const error = await commandFailure(command, { cwd: tempDir(), env: env() });
  expect(error.exitCode).toBe(2);
  expect(server().requests).toHaveLength(0);
  return error;
}

const newWith = (options: Record<string, unknown>) => (ctx: CommandContext) => runNew({ yes: true, ...provider(), ...options }, ctx);

describe('draft new reports every bad flag at once, named as typed', () => {
  it('--words 0 --sections -1 --concurrency 0: three lines, then one hint', async () => {
    const error = await usageError(newWith({ topic: 'Chips', words: '0', sections: '-1', concurrency: '0' }));
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('3 problems:');
    expect(
      lines
        .slice(1)
        .map((l) => l.trim())
        .sort(),
    ).toEqual([
      `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}`,
      '--sections must be a whole number from 1 to 15',
      '--words must be a whole number from 150 to 10000',
    ]);
    expect(error.hint).toBeTruthy();
    expect(error.hint).not.toContain('\n');
  });

  it('--max-tokens and --timeout are named as flags, not as option keys', async () => {
    const error = await usageError(newWith({ topic: 'Chips', maxTokens: 'lots', timeout: 'soon' }));
    expect(error.message).toContain('--max-tokens must be a whole number of at least 1');
    expect(error.message).toMatch(/--timeout must be a number of seconds greater than 0/);
    expect(error.message).not.toMatch(/options:|maxTokens/);
  });

  it.each(['2.5', '1e3', '-1', 'five'])('--sections %s says what a good value is, not zod\'s "expected number"', async (value) => {
    const error = await usageError(newWith({ topic: 'Chips', sections: value }));
    expect(error.message).toBe('--sections must be a whole number from 1 to 15');
  });

  it('--words 1e3 is refused with the range, like any other non-integer', async () => {
    const error = await usageError(newWith({ topic: 'Chips', words: '1e3' }));
    expect(error.message).toBe('--words must be a whole number from 150 to 10000');
  });

  it.each(['https://x', 'Post=example.com', '=https://x'])('--link "%s" says what a link looks like', async (link) => {
    const error = await usageError(newWith({ topic: 'Chips', link: [link] }));
    expect(error.message).toBe(`--link: "${link}" must look like "Title=https://…" (a title, "=", then an http(s) URL)`);
    expect(error.message).not.toContain('Invalid input');
  });

  it('bad flags and bad brief-file fields are reported together, the file field named "brief.yaml: words"', async () => {
    await writeFile(join(tempDir(), 'brief.yaml'), 'topic: Chips\nwords: 20\ndirecton: money\n');
    const error = await usageError(newWith({ brief: 'brief.yaml', concurrency: '0' }));
    expect(error.message).toContain('--concurrency must be a whole number');
    expect(error.message).toContain('brief.yaml: words must be a whole number from 150 to 10000');
    expect(error.message).toContain('brief.yaml: directon is not a known field (did you mean direction?)');
  });
});

describe('one concurrency limit', () => {
  const over = String(MAX_CONCURRENCY + 1);

  it(`new, revise and batch all refuse --concurrency ${over}, and accept ${MAX_CONCURRENCY}`, async () => {
    const expected = `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}`;
    expect((await usageError(newWith({ topic: 'Chips', concurrency: over }))).message).toBe(expected);
    expect((await usageError((ctx) => runRevise('post.md', { yes: true, concurrency: over, ...provider() }, ctx))).message).toBe(expected);
    await writeFile(join(tempDir(), 'briefs.yaml'), '- topic: Chips\n');
    expect((await usageError((ctx) => runBatch('briefs.yaml', { concurrency: over, ...provider() }, ctx))).message).toBe(expected);
  });

  it(`the config file refuses concurrency ${over} too, naming the file and field`, async () => {
    await writeFile(join(tempDir(), 'draft.config.json'), JSON.stringify({ concurrency: MAX_CONCURRENCY + 1 }));
    await expect(loadConfigFile(tempDir())).rejects.toThrow(
      `draft.config.json: concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}`,
    );
  });
});

describe('mistyped field names get a suggestion', () => {
  it('a draft.config.json key, e.g. "concurency"', async () => {
    await writeFile(join(tempDir(), 'draft.config.json'), JSON.stringify({ concurency: 4, local: { thread: 2 } }));
    const error = await loadConfigFile(tempDir()).catch((e: DraftError) => e);
    expect((error as DraftError).exitCode).toBe(2);
    expect((error as DraftError).message).toContain('draft.config.json: concurency is not a known field (did you mean concurrency?)');
    expect((error as DraftError).message).toContain('draft.config.json: local.thread is not a known field (did you mean threads?)');
  });

  it('a manifest field, e.g. "outptu"', async () => {
    await writeFile(join(tempDir(), 'briefs.yaml'), '- id: a\n  topic: Chips\n  outptu: a.md\n');
    const error = await usageError((ctx) => runBatch('briefs.yaml', provider(), ctx));
    expect(error.message).toContain('briefs.yaml:1: [0]: outptu is not a known field (did you mean output?)');
  });

  it('a manifest\'s top-level key, e.g. "brief:" for "briefs:"', async () => {
    await writeFile(join(tempDir(), 'briefs.yaml'), 'defaults:\n  words: 300\nbrief:\n  - topic: Chips\n');
    const error = await usageError((ctx) => runBatch('briefs.yaml', provider(), ctx));
    expect(error.message).toBe('briefs.yaml: expected a list of briefs or {defaults, briefs} (did you mean briefs?)');
  });

  it('no suggestion when nothing is close', async () => {
    await writeFile(join(tempDir(), 'brief.yaml'), 'topic: Chips\ncolour: blue\n');
    const error = await usageError(newWith({ brief: 'brief.yaml' }));
    expect(error.message).toBe('brief.yaml: colour is not a known field');
  });
});

describe('--timeout beyond what a timer can hold (2^31 ms)', () => {
  it('is refused as a flag, stating the maximum', async () => {
    const error = await usageError(newWith({ topic: 'Chips', timeout: '3000000' }));
    expect(error.message).toBe('--timeout must be a number of seconds greater than 0 and at most 2147483');
  });

  it('is refused in the config file', async () => {
    await writeFile(join(tempDir(), 'draft.config.json'), JSON.stringify({ timeoutSeconds: 2_147_484 }));
    await expect(loadConfigFile(tempDir())).rejects.toThrow(
      'draft.config.json: timeoutSeconds must be a number of seconds greater than 0 and at most 2147483',
    );
  });

  it('is refused however the settings were built', () => {
    expect(() => resolveProviderSettings({ provider: 'ollama', timeout: 2_147_484 }, {}, { config: {} })).toThrow(/at most 2147483/);
    expect(resolveProviderSettings({ provider: 'ollama', timeout: 2_147_483 }, {}, { config: {} }).timeoutMs).toBe(2_147_483_000);
  });
});
