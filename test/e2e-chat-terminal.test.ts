/**
 * `draft chat` at a terminal: the built CLI in a real pty (stdin and stderr are TTYs), the `> `
 * prompt, the confirmation, the words the loop understands, and Ctrl-C in the middle of a turn.
 */
import { describe, expect, it } from 'vitest';
import { bytes, KEY, listDir, SEED, text, writePost } from './fixtures/revise/harness.js';
import { baseEnv } from './support/cli.js';
import { KEYS, startPty } from './support/pty.js';
import { requestKind, scriptedModel } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-chat-tty-');

const FINANCE = 'Shift the focus toward the financial and business implications';

const chat = () =>
  startPty(['chat', 'post.md', '--base-url', server().url, '--retries', '0', '--author', 'Manolo'], {
    cwd: tempDir(),
    env: { ...baseEnv(tempDir()), OPENAI_API_KEY: KEY },
  });

async function say(pty: ReturnType<typeof chat>, words: string): Promise<void> {
  await pty.waitFor(/^ ?> *$/m);
  pty.mark();
  pty.send(words + KEYS.enter);
}

describe('draft chat on a terminal', () => {
  it('shows the plan and the diff, applies the turn when confirmed, and quits', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    const pty = chat();
    await say(pty, FINANCE);
    await pty.waitFor(/Apply this turn to post\.md\?/);
    expect(pty.screen).toContain('plan: revise every part (8) with the finance focus');
    expect(pty.screen).toMatch(/\+Revised with the finance focus/);
    pty.send(`y${KEYS.enter}`);
    await pty.waitFor(/Revised post\.md/);
    await say(pty, 'quit');
    expect(await pty.exitWithin(10_000)).toBe(0);
    const file = await text(path);
    expect(file).toContain('Revised with the finance focus');
    expect(file).toContain(`In their own words: “${FINANCE}”`);
  });

  it('writes nothing when the editor declines, and the loop goes on', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    const pty = chat();
    await say(pty, FINANCE);
    await pty.waitFor(/Apply this turn to post\.md\?/);
    pty.send(`n${KEYS.enter}`);
    await pty.waitFor(/not applied; nothing written/);
    await say(pty, 'quit');
    expect(await pty.exitWithin(10_000)).toBe(0);
    expect(await bytes(path)).toEqual(Buffer.from(SEED));
  });

  it('undo takes the last turn back, byte for byte; a refused plan leaves the loop running', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    const pty = chat();
    await say(pty, FINANCE);
    await pty.waitFor(/Apply this turn to post\.md\?/);
    pty.send(`y${KEYS.enter}`);
    await pty.waitFor(/Revised post\.md/);
    await say(pty, 'Rewrite the section "Pricing Wars" to be shorter');
    await pty.waitFor(/the section “Pricing Wars” is not a heading of post\.md/);
    await say(pty, 'undo');
    await pty.waitFor(/Undid #1 of post\.md/);
    await say(pty, 'quit');
    expect(await pty.exitWithin(10_000)).toBe(0);
    expect(await bytes(path)).toEqual(Buffer.from(SEED));
  });

  it('Ctrl-C in the middle of a turn exits 130 and leaves the file as it was before the turn, with no temp file', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    const model = scriptedModel();
    // The section revisions take their time, so the interrupt lands while they are in flight.
    server().setHandler((req, i) =>
      requestKind(req) === 'revise' ? { ...(model(req, i) as { content: string }), delayMs: 20_000 } : model(req, i),
    );
    const pty = chat();
    await say(pty, FINANCE);
    await pty.waitFor(/plan: revise every part/);
    const deadline = Date.now() + 10_000;
    while (!server().requests.some((r) => requestKind(r) === 'revise')) {
      if (Date.now() > deadline) throw new Error(`no revision request arrived; screen:\n${pty.screen}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    pty.send('\x03');
    expect(await pty.exitWithin(10_000)).toBe(130);
    expect(await bytes(path)).toEqual(Buffer.from(SEED));
    expect((await listDir(tempDir())).filter((name) => name !== 'post.md' && name !== '.draft')).toEqual([]);
    expect(await listDir(`${tempDir()}/.draft`)).not.toContain('proposed');
  });
});
