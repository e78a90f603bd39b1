import { describe, expect, it } from 'vitest';
import { bytes, KEY, SEED, text, writePost } from './fixtures/revise/harness.js';
import { baseEnv } from './support/cli.js';
import { KEYS, startPty } from './support/pty.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-revise-tty-');

const revise = (args: string[]) =>
  startPty(['revise', 'post.md', ...args, '--base-url', server().url, '--retries', '0'], {
    cwd: tempDir(),
    env: { ...baseEnv(tempDir()), OPENAI_API_KEY: KEY },
  });

describe('draft revise on a terminal', () => {
  it('lets the editor pick a title from the list, shows the diff and applies it when confirmed', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    const pty = revise(['--title']);
    await pty.waitFor(/Pick a title/);
    expect(pty.screen).toMatch(/1\. DeepSeek’s Disruption: What Investors Should Know/);
    pty.send(KEYS.down + KEYS.down + KEYS.enter); // the third proposal
    await pty.waitFor(/Apply this revision to post\.md\?/);
    expect(pty.screen).toMatch(
      /-title: "DeepSeek’s Disruption: The Financial Ripple in the AI Ecosystem"\n\+title: "DeepSeek’s Disruption: Winners and Losers"/,
    );
    pty.send(`y${KEYS.enter}`);
    expect(await pty.exit).toBe(0);
    expect(await text(path)).toContain('title: "DeepSeek’s Disruption: Winners and Losers"');
  });

  it('writes nothing when the editor declines the diff', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    const pty = revise(['--focus', 'finance', '--section', 'The Market Fallout']);
    await pty.waitFor(/Apply this revision to post\.md\?/);
    expect(pty.screen).toMatch(/\+Revised with the finance focus/);
    pty.send(`n${KEYS.enter}`);
    expect(await pty.exit).toBe(0);
    expect(pty.screen).toContain('Not applied; nothing written.');
    expect(await bytes(path)).toEqual(Buffer.from(SEED));
  });
});
