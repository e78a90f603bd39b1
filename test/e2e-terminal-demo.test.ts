/**
 * `npm run demo` says what it runs: the scripted test model by that name, no invented price, its
 * draft in a git-ignored demo-output/ folder of the current directory, and the next commands.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baseEnv, makeTempDir, REPO_ROOT } from './support/cli.js';

const TSX = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const DEMO = join(REPO_ROOT, 'scripts', 'demo.ts');

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await makeTempDir('draft-demo-');
});
afterEach(async () => tmp.cleanup());

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, DEMO], {
      cwd: tmp.dir,
      env: { ...baseEnv(tmp.dir), OPENAI_API_KEY: 'sk-real-looking-key-0123456789' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run demo', () => {
  it('names the scripted model, shows no made-up cost, writes to demo-output/ and ends with the next commands', async () => {
    const { code, stdout, stderr } = await runDemo();
    expect(stderr).not.toMatch(/^error/m);
    expect(code).toBe(0);
    const all = stdout + stderr;
    expect(all).not.toContain('gpt-4o-mini');
    expect(all).toContain('with scripted-test-model');
    expect(stderr).toMatch(/^ {2}cost {6}unknown/m);
    expect(all).not.toMatch(/\$\d+\.\d+/); // no price anywhere: the scripted model has none

    const files = await readdir(join(tmp.dir, 'demo-output'));
    expect(files).toHaveLength(1);
    expect(existsSync(join(tmp.dir, 'drafts'))).toBe(false);
    const shown = `demo-output/${files[0]}`;
    const text = await readFile(join(tmp.dir, shown), 'utf8');
    expect(text).toContain('the AI (scripted-test-model) drafted');
    expect(text).toMatch(/^ {2}provider: custom$/m);
    expect(text).not.toMatch(/costUsd: \d/);

    // A short summary, not the whole file, ending with commands that name the real path.
    expect(stdout).not.toContain('draft_state');
    expect(stdout.trim().split('\n').length).toBeLessThan(20);
    expect(stdout).toContain(`npx draft check ${shown}`);
    expect(stdout).toContain(`npx draft revise ${shown} --focus finance`);

    // A second run replaces the draft instead of piling up copies.
    expect((await runDemo()).code).toBe(0);
    expect(await readdir(join(tmp.dir, 'demo-output'))).toEqual(files);
  });
});
