/**
 * Runs the built CLI as a user would: a child process (`node bin/draft.js`), in a temp folder,
 * with a clean environment. Always the async spawn, so the in-process test server keeps answering.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const BIN = join(REPO_ROOT, 'bin', 'draft.js');
/**
 * One code cache (bin/compile-cache.js) for every spawned CLI of a test run, as a user's runs share
 * theirs: the e2e tests race on it, and each does not pay for a cold start. test/e2e-compile-cache
 * tests the cache itself, in folders of its own.
 */
export const TEST_COMPILE_CACHE = join(REPO_ROOT, 'node_modules', '.cache', 'draft-compile');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  input?: string;
  /** Called once the child has started (e.g. to send it a signal later). */
  onSpawn?: (child: ChildProcess) => void;
  timeoutMs?: number;
}

/** PATH and a private HOME only: no real API key or config can leak in from the machine. */
export function baseEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    NO_COLOR: '1',
    DRAFT_MODELS_DIR: join(home, 'models'),
    DRAFT_COMPILE_CACHE_DIR: TEST_COMPILE_CACHE,
  };
}

export function runCli(args: string[], options: RunOptions): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...baseEnv(options.cwd), ...options.env } as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`draft ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
    options.onSpawn?.(child);
  });
}

export async function makeTempDir(prefix = 'draft-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
