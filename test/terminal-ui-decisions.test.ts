/**
 * "May I ask?" and "may I animate?" come from the Ui alone, for revise as for new. The Ui here
 * sits on a terminal (stdin and stderr are TTYs) but may neither ask (--yes) nor animate (a
 * terminal with no width), which is exactly where reading the terminal directly went wrong.
 */
import { PassThrough } from 'node:stream';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRevise } from '../src/commands/revise.js';
import { UsageError } from '../src/core/errors.js';
import { createUi } from '../src/ui/ui.js';
import { KEY, SEED } from './fixtures/revise/harness.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-ui-decisions-');

async function onTerminalWithYes(): Promise<{ ui: Awaited<ReturnType<typeof createUi>>; stderr: () => string }> {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ui = await createUi(
    { stdout: new PassThrough(), stderr, env: { NO_COLOR: '1' }, stdinIsTTY: true, stderrIsTTY: true, columns: 0 },
    { interactive: false, debug: false },
  );
  return { ui, stderr: () => err };
}

function revise(ui: Awaited<ReturnType<typeof createUi>>, options: Record<string, unknown>) {
  return runRevise(
    'post.md',
    { baseUrl: server().url, retries: '0', ...options },
    { ui, cwd: tempDir(), env: { OPENAI_API_KEY: KEY }, signal: new AbortController().signal, debug: false },
  );
}

describe('revise asks and animates only when the Ui says so', () => {
  it('without animation, each revised section gets its own line, even on a terminal', async () => {
    await writeFile(join(tempDir(), 'post.md'), SEED);
    const { ui, stderr } = await onTerminalWithYes();
    expect(ui.animated).toBe(false);
    await revise(ui, { focus: 'finance', section: ['The Market Fallout'], yes: true });
    expect(stderr()).toMatch(/^revised “The Market Fallout”$/m);
  });

  it('--title with --yes asks nothing: it needs --pick, and says so before anything is sent', async () => {
    await writeFile(join(tempDir(), 'post.md'), SEED);
    const { ui } = await onTerminalWithYes();
    const error = await revise(ui, { title: true, yes: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe('--title needs --pick N with --yes');
    expect(server().requests).toHaveLength(0);
  });
});
