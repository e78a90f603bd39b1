/**
 * Ctrl-C on a real terminal while the spinner is on screen. The spinner used to put stdin in raw
 * mode without reading it, so the keypress never became SIGINT and the command finished, wrote its
 * file and exited 0. Each test holds one model request open (the server never answers it), waits
 * for the spinner, presses Ctrl-C, and expects exit 130 with every file as it was.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEED } from './fixtures/revise/harness.js';
import { baseEnv } from './support/cli.js';
import { KEYS, startPty, type PtySession } from './support/pty.js';
import { requestKind, scriptedModel, type RequestKind } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';
import type { Handler } from './support/test-server.js';

const { server, tempDir } = useServerAndTempDir('draft-ctrl-c-');

/** The scripted model, except that requests of this kind are never answered. */
function hangingOn(kind: RequestKind): Handler {
  const model = scriptedModel();
  return async (req, index) => (requestKind(req) === kind ? { content: '', delayMs: Infinity } : model(req, index));
}

const SPINNER = '[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]';

function draft(args: string[]): PtySession {
  return startPty([...args, '--base-url', server().url, '--retries', '0'], {
    cwd: tempDir(),
    env: { ...baseEnv(tempDir()), OPENAI_API_KEY: 'sk-test' },
  });
}

/** Every file under the folder, temp files and lock files included. */
async function allFiles(): Promise<string[]> {
  return (await readdir(tempDir(), { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(tempDir().length + 1))
    .sort();
}

describe('Ctrl-C (and SIGTERM) at any moment', () => {
  it('draft new: exit 130, no draft, no temp file', async () => {
    server().setHandler(hangingOn('section'));
    const pty = draft(['new', '--yes', '--topic', 'Chip export controls']);
    await pty.waitFor(new RegExp(`${SPINNER} Drafting sections`));
    pty.send('\x03');
    expect(await pty.exitWithin(10_000)).toBe(130);
    expect(pty.screen).toContain('Interrupted: no draft was written or changed.');
    expect(await allFiles()).toEqual([]);
  });

  it('draft new after the outline review: exit 130, no draft, no temp file', async () => {
    server().setHandler(hangingOn('section'));
    const pty = draft(['new', '--topic', 'Chip export controls']);
    await pty.waitFor(/Draft from this outline\?/);
    pty.mark();
    pty.send(KEYS.enter); // accept: the question closes and the spinner comes back
    await pty.waitFor(new RegExp(`${SPINNER} Drafting sections`));
    pty.send('\x03');
    expect(await pty.exitWithin(10_000)).toBe(130);
    expect(await allFiles()).toEqual([]);
  });

  it('SIGTERM while the outline question waits: exit 130 at once, no draft', async () => {
    const pty = draft(['new', '--topic', 'Chip export controls']);
    await pty.waitFor(/Draft from this outline\?/);
    pty.signal('SIGTERM');
    expect(await pty.exitWithin(10_000)).toBe(130);
    expect(pty.screen).toContain('Interrupted: no draft was written or changed.');
    expect(await allFiles()).toEqual([]);
  });

  it('draft revise: exit 130, the post byte-for-byte as it was, no history, no temp file', async () => {
    await writeFile(join(tempDir(), 'post.md'), SEED);
    server().setHandler(hangingOn('revise'));
    const pty = draft(['revise', 'post.md', '--focus', 'finance', '--section', 'The Market Fallout']);
    await pty.waitFor(new RegExp(`${SPINNER} `));
    pty.send('\x03');
    expect(await pty.exitWithin(10_000)).toBe(130);
    expect(await readFile(join(tempDir(), 'post.md'), 'utf8')).toBe(SEED);
    expect(await allFiles()).toEqual(['post.md']);
  });

  it('draft batch: exit 130, no draft, no lock or temp file', async () => {
    await writeFile(join(tempDir(), 'briefs.yaml'), '- id: one\n  topic: Chip export controls\n- id: two\n  topic: Open models\n');
    server().setHandler(hangingOn('outline'));
    const pty = draft(['batch', 'briefs.yaml', '--no-cache']);
    await pty.waitFor(new RegExp(`${SPINNER} 0 done`));
    pty.send('\x03');
    expect(await pty.exitWithin(10_000)).toBe(130);
    expect(pty.screen).toMatch(/Batch interrupted/);
    expect(await allFiles()).toEqual(['briefs.yaml']);
  });
});
