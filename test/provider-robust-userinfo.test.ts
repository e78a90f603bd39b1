/**
 * A password in the base URL (`http://user:password@host/v1`) reaches the server as Basic auth and
 * nowhere else: not the --dry-run header, not errors, not report.json, the step summary or the
 * GitHub annotations. In-process commands against the test server.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../src/commands/batch.js';
import { runNew } from '../src/commands/new.js';
import type { CommandContext } from '../src/commands/context.js';
import { createUi } from '../src/ui/ui.js';
import { runCommand } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-robust-userinfo-');
const PASSWORD = 'pa55-SECRET-word';
const withUserinfo = () => server().url.replace('http://', `http://editor:${PASSWORD}@`);

describe('a base URL with a password', () => {
  it('is redacted in the --dry-run header', async () => {
    const { stdout, stderr } = await runCommand((ctx) => runNew({ topic: 'Chips', dryRun: true, baseUrl: withUserinfo() }, ctx), {
      cwd: tempDir(),
      env: {},
    });
    expect(stdout).toContain('[redacted]@127.0.0.1');
    expect(stdout + stderr).not.toContain(PASSWORD);
    expect(server().requests).toHaveLength(0);
  });

  it('drafts with Basic auth, one request per call', async () => {
    const expected = `Basic ${Buffer.from(`editor:${PASSWORD}`).toString('base64')}`;
    await runCommand((ctx) => runNew({ yes: true, topic: 'Chips', sections: '1', retries: '3', baseUrl: withUserinfo() }, ctx), {
      cwd: tempDir(),
      env: {},
    });
    // Outline, introduction, one section: no retries on a URL fetch refuses.
    expect(server().requests).toHaveLength(3);
    expect(server().requests.every((r) => r.headers.authorization === expected)).toBe(true);
  });

  it('never reaches report.json, the step summary or the annotations of a failed batch', async () => {
    server().setHandler(() => ({ status: 500, body: { error: { message: `upstream at ${withUserinfo()} is down` } } }));
    const dir = tempDir();
    await writeFile(join(dir, 'briefs.yaml'), '- id: chips\n  topic: Chips\n');
    const summary = join(dir, 'summary.md');
    const { output, error } = await capture(
      (ctx) => runBatch('briefs.yaml', { report: 'report.json', retries: '0', baseUrl: withUserinfo(), cache: false }, ctx),
      { cwd: dir, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, DRAFT_CACHE_DIR: join(dir, 'cache') } },
    );
    expect(error).toBeDefined();
    expect(output.stdout + output.stderr).toContain('::error');
    const report = await readFile(join(dir, 'report.json'), 'utf8');
    const stepSummary = await readFile(summary, 'utf8');
    expect(report).toContain('127.0.0.1');
    for (const text of [report, stepSummary, output.stdout, output.stderr, error!.message]) expect(text).not.toContain(PASSWORD);
  });
});

/** Like runCommand, but keeps what was printed when the command fails. */
async function capture(command: (ctx: CommandContext) => Promise<void>, context: { cwd: string; env: NodeJS.ProcessEnv }) {
  const output = { stdout: '', stderr: '' };
  const stdout = new PassThrough().on('data', (d: Buffer) => (output.stdout += d.toString()));
  const stderr = new PassThrough().on('data', (d: Buffer) => (output.stderr += d.toString()));
  const ui = await createUi(
    { stdout, stderr, env: { NO_COLOR: '1' }, stdinIsTTY: false, stderrIsTTY: false },
    { interactive: false, debug: false },
  );
  const error = await command({ ui, cwd: context.cwd, env: context.env, signal: new AbortController().signal, debug: false }).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  return { output, error };
}
