/**
 * Ctrl-C (SIGINT) from outside a real `draft` process: it exits 130 and leaves every file as it was,
 * with no temp file. Only a process shows this (main() owns the signal handlers), so these spawn
 * the built CLI (`npm run build`). Interrupts at a terminal are in e2e-terminal-ctrl-c.test.ts.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytes, drafter, listDir, SEED, writePost } from './fixtures/revise/harness.js';
import { makeTempDir, runCli } from './support/cli.js';
import { seedNewArgs } from './support/seed-brief.js';
import { useServerAndTempDir } from './support/server-and-dir.js';
import { TEST_MODEL, testModelUnavailable } from './support/test-model.js';

const { server, tempDir } = useServerAndTempDir('draft-interrupt-');
const draft = drafter(server, tempDir, runCli);
const SEED_ARGS = seedNewArgs();

async function untilRequest(count = 1): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (server().requests.length < count) {
    if (Date.now() > deadline) throw new Error('no request arrived');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('draft new, interruption', () => {
  it('Ctrl-C exits 130 and leaves no file and no temp file', async () => {
    server().setDelay(400);
    let sent = false;
    const result = await draft(SEED_ARGS, {
      onSpawn: (child) => {
        const poll = setInterval(() => {
          if (server().requests.length >= 2 && !sent) {
            sent = true;
            child.kill('SIGINT');
            clearInterval(poll);
          }
        }, 20);
        child.on('close', () => clearInterval(poll));
      },
    });
    expect(sent).toBe(true);
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/Interrupted/);
    expect(await listDir(join(tempDir(), 'drafts'))).toEqual([]);
  });
});

describe('draft revise, interruption', () => {
  it('Ctrl-C while the model works leaves the file as it was (exit 130)', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    server().setDelay(5_000);
    const run = draft(['revise', 'post.md', '--focus', 'finance', '--yes'], {
      onSpawn: (child) => {
        void untilRequest().then(() => child.kill('SIGINT'));
      },
    });
    const result = await run;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/Interrupted/);
    expect(await bytes(path)).toEqual(Buffer.from(SEED));
    expect((await listDir(tempDir())).filter((n) => n !== 'post.md')).toEqual([]);
  });
});

const MODEL = TEST_MODEL;
const haveEngine = testModelUnavailable('--provider local interruption', { needsEngine: true }) === undefined;
const local = ['--provider', 'local', '--model-path', MODEL, '--yes'];

describe.skipIf(!haveEngine)('--provider local, interruption (stories260K)', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    tmp = await makeTempDir('draft-local-');
    await mkdir(join(tmp.dir, '.draft', 'prompts'), { recursive: true });
    await writeFile(join(tmp.dir, '.draft', 'prompts', 'section.md'), '=== user ===\n# Section request\nWrite now: {{part}}\n');
  });
  afterEach(async () => tmp.cleanup());

  it('Ctrl-C during local generation exits 130 and writes nothing', async () => {
    // No seed: an unseeded run keeps generating long enough to be interrupted mid-reply.
    await writeFile(join(tmp.dir, 'draft.config.json'), JSON.stringify({ local: { threads: 1 } }));
    const result = await runCli(['new', ...local, '--topic', 'A long story', '--sections', '6'], {
      cwd: tmp.dir,
      timeoutMs: 60_000,
      onSpawn: (child) => {
        child.stderr!.on('data', (d: Buffer) => {
          if (/Outlining/.test(d.toString())) setTimeout(() => child.kill('SIGINT'), 300);
        });
      },
    });
    expect(result.code).toBe(130);
    const drafts = existsSync(join(tmp.dir, 'drafts')) ? await readdir(join(tmp.dir, 'drafts')) : [];
    expect(drafts).toEqual([]);
  });
});
