/**
 * Issue 9: with no provider configured, `draft new` on a terminal fails before asking anything, so
 * no answer is typed in vain. Driven through a real pseudo-terminal (the built CLI).
 */
import { describe, expect, it } from 'vitest';
import { baseEnv } from './support/cli.js';
import { startPty } from './support/pty.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { tempDir } = useServerAndTempDir('draft-noprovider-');

describe('draft new on a terminal with no provider', () => {
  it('says how to configure one and exits 2 without asking for the topic', async () => {
    const pty = startPty(['new'], { cwd: tempDir(), env: baseEnv(tempDir()) });
    expect(await pty.exitWithin(15_000)).toBe(2);
    expect(pty.screen).toContain('no model provider is configured');
    expect(pty.screen).not.toMatch(/Topic of the post/);
  });

  it('a bad flag is reported before the questions too', async () => {
    const pty = startPty(['new', '--words', '5', '--base-url', 'http://127.0.0.1:9/v1'], { cwd: tempDir(), env: baseEnv(tempDir()) });
    expect(await pty.exitWithin(15_000)).toBe(2);
    expect(pty.screen).toContain('--words must be a whole number from 150 to 10000');
    expect(pty.screen).not.toMatch(/Topic of the post/);
  });
});
