import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchFailureCode } from '../src/core/batch/report.js';
import type { BatchReport } from '../src/core/batch/report.js';
import { errorFacts, ProviderError, RunError, UsageError } from '../src/core/errors.js';
import { runDraft } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-error-codes-');
const KEY = 'sk-test-SECRET-0123456789abcdef';

/** The one JSON object a failed --json run prints on stdout. */
function jsonFailure(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return (JSON.parse(lines[0]!) as { error: Record<string, unknown> }).error;
}

const online = (args: string[]) =>
  runDraft([...args, '--base-url', server().url, '--retries', '0', '--timeout', '5'], { cwd: tempDir(), env: { OPENAI_API_KEY: KEY } });

describe('errors carry a stable code', () => {
  it('every DraftError has one: its class default, provider-<kind>, or a specific one', () => {
    expect(errorFacts(new UsageError('bad flag')).code).toBe('usage');
    expect(errorFacts(new RunError('broke')).code).toBe('failed');
    expect(errorFacts(new ProviderError('rate-limit', 'slow down', { requestId: 'req_1' }))).toMatchObject({
      code: 'provider-rate-limit',
      requestId: 'req_1',
      exitCode: 1,
    });
    expect(errorFacts(new RunError('x', { code: 'changed-on-disk' })).code).toBe('changed-on-disk');
    expect(errorFacts(new TypeError('oops'))).toMatchObject({ code: 'unexpected', exitCode: 1 });
  });

  it('--json: a failure is one JSON object on stdout, and the human lines stay on stderr', async () => {
    const result = await runDraft(['new', '--topic', 'Chips', '--yes', '--json'], {
      cwd: tempDir(),
      env: { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined },
    });
    expect(result.code).toBe(2);
    const error = jsonFailure(result.stdout);
    expect(error).toMatchObject({ code: 'no-provider', message: 'no model provider is configured', exitCode: 2 });
    expect(String(error.hint)).toContain('OPENAI_API_KEY');
    expect(result.stderr).toContain('error: no model provider is configured');
  });

  it('--json: the provider error keeps its request id, and no secret reaches stdout', async () => {
    server().queue({
      status: 401,
      headers: { 'x-request-id': 'req_abc123' },
      body: { error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error' } },
    });
    const result = await online(['new', '--topic', 'Chips', '--yes', '--json']);
    expect(result.code).toBe(1);
    const error = jsonFailure(result.stdout);
    expect(error).toMatchObject({ code: 'provider-auth', exitCode: 1, requestId: 'req_abc123' });
    expect(Object.keys(error)).toEqual(['code', 'message', 'hint', 'exitCode', 'requestId']);
    expect(result.stdout).not.toContain(KEY);
    expect(result.stderr).not.toContain(KEY);
  });

  it('--json: a mistyped flag is a usage failure in the same form', async () => {
    const result = await runDraft(['new', '--topik', 'Chips', '--json'], { cwd: tempDir(), env: {} });
    expect(result.code).toBe(2);
    expect(jsonFailure(result.stdout)).toMatchObject({ code: 'usage', exitCode: 2 });
  });

  it('without --json nothing is printed on stdout', async () => {
    const result = await runDraft(['new', '--topic', 'Chips', '--yes'], {
      cwd: tempDir(),
      env: { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined },
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('a read-only post: code read-only, and the file is left as it was', async () => {
    const path = join(tempDir(), 'post.md');
    const text = '---\ntitle: Markets\n---\nA lead.\n\n## First\n\nSome text.\n';
    await writeFile(path, text);
    await chmod(path, 0o444);
    const result = await online(['revise', 'post.md', '--section', 'First', '--instruction', 'tighten', '--yes', '--json']);
    expect(result.code).toBe(2);
    expect(jsonFailure(result.stdout)).toMatchObject({ code: 'read-only', exitCode: 2 });
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('check --json that fails prints its problems once, not a second error object', async () => {
    await writeFile(join(tempDir(), 'bad.md'), '---\ntitle: Markets\n---\nText.\n');
    const result = await runDraft(['check', 'bad.md', '--json'], { cwd: tempDir(), env: {} });
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as { problems: unknown[]; error?: unknown };
    expect(parsed.problems.length).toBeGreaterThan(0);
    expect(parsed.error).toBeUndefined();
  });
});

describe('batch: report entries and the failed run carry codes', () => {
  it('a failed brief says its code and the provider request id', async () => {
    await writeFile(join(tempDir(), 'briefs.yaml'), 'defaults:\n  sections: 1\n  words: 150\nbriefs:\n  - id: one\n    topic: Topic one\n');
    server().queue({
      status: 500,
      headers: { 'x-request-id': 'req_batch_9' },
      body: { error: { message: 'the server broke', type: 'server_error' } },
    });
    const result = await online(['batch', 'briefs.yaml', '--no-cache', '--report', 'report.json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(await readFile(join(tempDir(), 'report.json'), 'utf8')) as BatchReport;
    expect(report.entries[0]).toMatchObject({ status: 'failed', code: 'provider-server', requestId: 'req_batch_9' });
  });

  it('the run as a whole: budget-exceeded, fail-fast or drafts-failed', () => {
    const report = (stoppedBy: BatchReport['stoppedBy']) => ({ stoppedBy }) as BatchReport;
    expect(batchFailureCode(report('budget'))).toBe('budget-exceeded');
    expect(batchFailureCode(report('fail-fast'))).toBe('fail-fast');
    expect(batchFailureCode(report(null))).toBe('drafts-failed');
  });
});
