/**
 * Sources through the built CLI, where the process is what is tested: a refused source is one line and
 * a hint on stderr with exit 2 and no model request; a grounded draft's figures reach stdout (--json)
 * while the summary listing them goes to stderr. Needs the built CLI (`npm run build`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { startPageServer, type PageServer } from './support/page-server.js';
import { scriptedModel } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const KEY = 'sk-test-SECRET-sources-0123456789';
const { server, tempDir } = useServerAndTempDir('draft-e2e-sources-');
let pages: PageServer;
beforeEach(async () => {
  pages = await startPageServer();
});
afterEach(() => pages.close());

describe('draft new --source, the process', () => {
  it('a loopback source without --allow-private-sources: exit 2, one error line and a hint, nothing sent anywhere', async () => {
    const result = await runCli(['new', '--topic', 'Chips', '--yes', '--base-url', server().url, '--source', `${pages.url}/market`], {
      cwd: tempDir(),
      env: { OPENAI_API_KEY: KEY },
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `error: source ${pages.url}/market: 127.0.0.1 is a private or loopback address\nhint: Sources on loopback or private networks are refused; pass --allow-private-sources (or sources.allowPrivate in draft.config.json) to allow them.\n`,
    );
    expect(server().requests).toHaveLength(0);
    expect(pages.requests).toHaveLength(0);
  });

  it('a grounded draft: --json on stdout carries the figures; the summary with the one to verify is on stderr', async () => {
    server().setHandler(scriptedModel({ inventFigure: 'always' }));
    const result = await runCli(
      [
        'new',
        '--topic',
        'Chips',
        '--sections',
        '2',
        '--yes',
        '--json',
        '--base-url',
        server().url,
        '--source',
        `${pages.url}/market`,
        '--allow-private-sources',
      ],
      { cwd: tempDir(), env: { OPENAI_API_KEY: KEY } },
    );
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.figures.untraced).toEqual([{ text: '42%', section: null, line: expect.any(Number) }]);
    expect(result.stderr).toMatch(/figures\s+\d+, 1 to verify:\n\s+42% \(introduction, line \d+\)/);
    expect(result.stdout + result.stderr).not.toContain(KEY);
  });
});
