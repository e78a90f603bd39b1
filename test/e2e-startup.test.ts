/**
 * The built CLI as a process: start-up (--help, --version), the exit code bin/draft.js hands the
 * shell, and stdout carrying only the result while progress goes to stderr. Everything else about
 * the commands is tested in-process. Needs the built CLI (`npm run build`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listDir } from './fixtures/revise/harness.js';
import { REPO_ROOT, runCli } from './support/cli.js';
import { scriptedModel } from './support/scripted-model.js';
import { seedNewArgs } from './support/seed-brief.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const KEY = 'sk-test-SECRET-0123456789abcdef';
const { server, tempDir } = useServerAndTempDir('draft-startup-');
const version = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version as string;

describe('draft, the process', () => {
  it('--help lists the commands on stdout and exits 0; --version prints the package version', async () => {
    const help = await runCli(['--help'], { cwd: tempDir() });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: draft /m);
    for (const command of ['new', 'batch', 'check', 'revise', 'history', 'undo'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(help.stderr).toBe('');

    const shown = await runCli(['--version'], { cwd: tempDir() });
    expect(shown.code).toBe(0);
    expect(shown.stdout.trim()).toBe(version);
  });

  it('exits 2 for a usage error and for `draft` alone, saying so on stderr only', async () => {
    const unknown = await runCli(['new', '--topic', 'x', '--no-such-flag'], { cwd: tempDir(), env: { OPENAI_API_KEY: KEY } });
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^error: .*--no-such-flag/m);

    const bare = await runCli([], { cwd: tempDir() });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/Usage: draft /);

    // The bundle keeps no `__name()` wrappers: --debug still names the error class and, through the
    // source maps, the src/ file and line it came from.
    const traced = await runCli(['check', 'no-such-post.md', '--debug'], { cwd: tempDir() });
    expect(traced.code).toBe(2);
    expect(traced.stderr).toMatch(/^UsageError: no-such-post\.md: /m);
    expect(traced.stderr).toMatch(/^ {4}at \S+ \(.*src\/core\/check\/find-drafts\.ts:\d+:\d+\)$/m);
  });

  it('--json: stdout is exactly one JSON document, progress is on stderr, exit 0', async () => {
    const result = await runCli([...seedNewArgs(), '--json', '--base-url', server().url, '--retries', '0', '--timeout', '5'], {
      cwd: tempDir(),
      env: { OPENAI_API_KEY: KEY },
    });
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.path).toBe(join(tempDir(), 'drafts', `${json.slug}.md`));
    expect(result.stderr).toMatch(/Outlining/);
    expect(result.stderr).not.toContain('{');
  });

  it('exits 1 when the provider fails, with the error on stderr and the key never shown', async () => {
    server().setHandler(scriptedModel({ override: () => ({ status: 500 }) }));
    const result = await runCli([...seedNewArgs(), '--base-url', server().url, '--retries', '0', '--timeout', '5'], {
      cwd: tempDir(),
      env: { OPENAI_API_KEY: KEY },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: /m);
    expect(result.stderr).not.toContain(KEY);
    expect(await listDir(join(tempDir(), 'drafts'))).toEqual([]);
  });
});
