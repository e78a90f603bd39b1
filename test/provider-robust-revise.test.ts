/**
 * Revisions get the same reply cap as drafting: a revised section carries a max_tokens derived from
 * the section's length, and a runaway reply fails as "reply too long" with the file untouched.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRevise } from '../src/commands/revise.js';
import { runCommand } from './support/run-command.js';
import { scriptedModel } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-robust-revise-');
const POST = `# Chips\n\nAn introduction of a few words.\n\n## The Market\n\n${'Shares fell as investors weighed cheaper models. '.repeat(10).trim()}\n`;

describe('a revision whose reply does not stop', () => {
  it('asks for a max_tokens from the section length and fails as "reply too long", leaving the file as it was', async () => {
    const file = join(tempDir(), 'post.md');
    await writeFile(file, POST);
    server().setHandler(
      scriptedModel({
        override: (kind) => (kind === 'revise' ? { content: 'more words '.repeat(300_000), chunkSize: 64 * 1024 } : undefined),
      }),
    );
    const error = await runCommand(
      (ctx) =>
        runRevise(
          file,
          {
            section: ['The Market'],
            keyword: [],
            instruction: 'add market analysis',
            yes: true,
            baseUrl: server().url,
            retries: '0',
            timeout: '5',
          },
          ctx,
        ),
      { cwd: tempDir(), env: { OPENAI_API_KEY: 'sk-test-robust-revise-0123456789' } },
    ).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain('reply too long');
    // The section has 70 words: 8 tokens a word, far below the 1 MB default byte cap.
    expect(server().requests[0]!.body.max_tokens).toBe(560);
    expect(await readFile(file, 'utf8')).toBe(POST);
  });
});
