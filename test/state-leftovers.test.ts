/**
 * Issues 8 and 9: read-only posts, what a `kill -9` leaves behind, a full disk during a revision,
 * and damaged history records. The history and undo exit codes, and the batch run, use the built
 * CLI (`npx tsc -p tsconfig.json` first); the rest runs in-process against the scripted server.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs, { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runRevise } from '../src/commands/revise.js';
import { runUndo } from '../src/commands/undo.js';
import { RunError, UsageError } from '../src/core/errors.js';
import { drafter, KEY, plain, SEED } from './fixtures/revise/harness.js';
import { manifestOf } from './fixtures/batch/harness.js';
import { runCommand } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-state-left-');
const draft = drafter(server, tempDir);
const run = plain(tempDir);
afterEach(() => vi.restoreAllMocks());

const provider = () => ({ yes: true, baseUrl: server().url, retries: '0', timeout: '5' });
const inDir = (cwd: string, command: Parameters<typeof runCommand>[0]) => runCommand(command, { cwd, env: { OPENAI_API_KEY: KEY } });
const reviseSection = (cwd = tempDir()) =>
  inDir(cwd, (ctx) => runRevise('post.md', { ...provider(), section: ['The Market'], focus: 'finance' }, ctx));
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });
const listing = async (dir: string) => (await readdir(dir)).sort();

async function post(dir = tempDir(), text = SEED): Promise<string> {
  const path = join(dir, 'post.md');
  await writeFile(path, text);
  return path;
}

/** Starts test/fixtures/state/hold-child.ts and resolves once it is stuck mid-way, holding its files. */
async function heldChild(mode: 'replace' | 'lock', target: string): Promise<{ child: ChildProcess; kill9: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./fixtures/state/hold-child.ts', import.meta.url)), mode, target],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => (chunk.toString().includes('in-flight') ? resolve() : reject(new Error(chunk.toString()))));
    void exited.then(() => reject(new Error(`child exited early: ${stderr}`)));
  });
  return {
    child,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('read-only posts', () => {
  it('draft revise refuses a mode 0444 post before any model request, naming the file', async () => {
    const path = await post();
    await chmod(path, 0o444);
    const error = await failure(reviseSection());
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe('post.md: the file is read-only (mode 0444), so draft will not change it');
    expect((error as UsageError).hint).toMatch(/chmod u\+w post\.md/);
    expect(server().requests).toHaveLength(0);
    expect(await readFile(path, 'utf8')).toBe(SEED);
    expect((await stat(path)).mode & 0o777).toBe(0o444);
    expect(await listing(tempDir())).toEqual(['post.md']);
    // A dry run writes nothing, so it still shows the diff.
    const { stdout } = await inDir(tempDir(), (ctx) =>
      runRevise('post.md', { ...provider(), yes: false, dryRun: true, section: ['The Market'], focus: 'finance' }, ctx),
    );
    expect(stdout).toMatch(/^\+.*Revised with the finance focus/m);
    expect(await readFile(path, 'utf8')).toBe(SEED);
  });

  it('draft undo refuses a post made read-only after its revision, and writes nothing', async () => {
    const path = await post();
    await reviseSection();
    const revised = await readFile(path);
    await chmod(path, 0o444);
    const error = await failure(inDir(tempDir(), (ctx) => runUndo('post.md', {}, ctx)));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/^post\.md: the file is read-only \(mode 0444\)/);
    expect(await readFile(path)).toEqual(revised);
    expect((await readdir(join(tempDir(), '.draft', 'history', 'post.md.d'))).sort()).toEqual(['0001.json', '0001.snapshot']);
  });
});

describe('what kill -9 leaves behind', () => {
  it('the next revision removes temp files whose writer is gone, and keeps a live writer’s', async () => {
    const path = await post();
    const held = await heldChild('replace', path);
    const orphan = (await listing(tempDir())).find((n) => n.endsWith('.tmp'));
    expect(orphan).toMatch(new RegExp(`^\\.post\\.md\\.${held.child.pid}\\.[0-9a-f]{12}\\.tmp$`));
    await held.kill9();
    expect(await listing(tempDir())).toContain(orphan);
    // A temp whose pid is alive (the test runner's parent) may be a write in progress: it stays.
    const live = `.post.md.${process.ppid}.0123456789ab.tmp`;
    await writeFile(join(tempDir(), live), 'someone is writing this\n');

    await reviseSection();
    expect(await listing(tempDir())).toEqual(['.draft', live, 'post.md']);
    expect(await readFile(path, 'utf8')).toContain('Revised with the finance focus');
  });

  it('the next batch removes draft locks whose process is gone, and keeps a live one’s', async () => {
    await writeFile(join(tempDir(), 'briefs.yaml'), manifestOf(2));
    await mkdir(join(tempDir(), 'drafts'));
    for (const id of ['post-1', 'post-2']) await writeFile(join(tempDir(), 'drafts', `${id}.md`), `# ${id}\n`);
    const held = await heldChild('lock', join(tempDir(), 'drafts', 'post-1.md'));
    await held.kill9();
    const liveLock = JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: '2026-01-01T00:00:00Z', token: 'live' });
    await writeFile(join(tempDir(), 'drafts', '.post-2.md.lock'), liveLock);
    expect(await listing(join(tempDir(), 'drafts'))).toEqual(['.post-1.md.lock', '.post-2.md.lock', 'post-1.md', 'post-2.md']);

    const result = await draft(['batch', 'briefs.yaml']);
    expect(result.code, result.stderr).toBe(0);
    expect(server().requests).toHaveLength(0); // both drafts exist: skipped
    expect(await listing(join(tempDir(), 'drafts'))).toEqual(['.post-2.md.lock', 'post-1.md', 'post-2.md']);
    expect(await readFile(join(tempDir(), 'drafts', '.post-2.md.lock'), 'utf8')).toBe(liveLock);
  });
});

describe('a full disk during a revision', () => {
  it('leaves no truncated snapshot, no temp file, and the post as it was', async () => {
    const path = await post();
    const realOpen = fs.open.bind(fs);
    // The device fills half-way through writing the snapshot.
    vi.spyOn(fs, 'open').mockImplementation(async (file, ...rest) => {
      const handle = await realOpen(file, ...(rest as [string]));
      if (String(file).includes('.snapshot.')) {
        handle.writeFile = async (data: unknown) => {
          await handle.write(String(data).slice(0, 1000));
          throw errno('ENOSPC');
        };
      }
      return handle;
    });
    const error = await failure(reviseSection());
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).message).toMatch(/0001\.snapshot: no space left on the device$/);
    expect(await readFile(path, 'utf8')).toBe(SEED);
    expect(await listing(join(tempDir(), '.draft', 'history', 'post.md.d'))).toEqual([]);
    expect(await listing(join(tempDir(), '.draft', 'history'))).toEqual(['post.md.d']); // no lock left
  });

  // A real full device: a tiny tmpfs. Mounting needs root (CAP_SYS_ADMIN); elsewhere this one is skipped.
  it.runIf(canMountTmpfs())('on a real full tmpfs, the same', async () => {
    const mnt = await mkdtemp(join(tmpdir(), 'draft-state-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt]);
    try {
      await writeFile(join(mnt, 'package.json'), '{}\n');
      const big = `${SEED}\n## Appendix\n\n${'A long appendix paragraph about chips and money. '.repeat(1300)}\n`;
      const path = await post(mnt, big);
      // Fill the device, then give back four pages: less than the snapshot needs.
      const fillers: string[] = [];
      for (let i = 0; ; i++) {
        const filler = join(mnt, `filler-${i}`);
        try {
          await writeFile(filler, Buffer.alloc(4096, 1));
        } catch {
          await rm(filler, { force: true });
          break;
        }
        fillers.push(filler);
      }
      for (const filler of fillers.splice(0, 4)) await rm(filler);

      const error = await failure(reviseSection(mnt));
      expect(error).toBeInstanceOf(RunError);
      expect((error as RunError).message).toMatch(/no space left on the device$/);
      expect(await readFile(path, 'utf8')).toBe(big);
      const history = join(mnt, '.draft', 'history', 'post.md.d');
      expect(await readdir(history).catch(() => [])).toEqual([]);
      expect((await readdir(mnt, { recursive: true })).filter((n) => String(n).endsWith('.tmp'))).toEqual([]);

      for (const filler of fillers) await rm(filler);
      await reviseSection(mnt);
      expect(await readFile(join(history, '0001.snapshot'), 'utf8')).toBe(big);
    } finally {
      execFileSync('umount', [mnt]);
      await rm(mnt, { recursive: true, force: true });
    }
  });
});

describe('a damaged history record', () => {
  it.each([
    ['torn JSON', '{"id": 1, "at": "2026-', /0001\.json: this history record is damaged \(not valid JSON\)/],
    ['a record missing its fields', '{"id": 1}\n', /0001\.json: this history record is damaged \(at: /],
  ])('%s: draft history and draft undo exit 2 naming the file, and write nothing', async (_, damage, message) => {
    const path = await post();
    await reviseSection();
    const revised = await readFile(path);
    const record = join(tempDir(), '.draft', 'history', 'post.md.d', '0001.json');
    await writeFile(record, damage);

    const history = await run(['history', 'post.md']);
    expect(history.code).toBe(2);
    expect(history.stderr).toMatch(message);
    expect(history.stderr).toContain(record);
    expect(history.stdout).not.toMatch(/no history yet/);
    const undo = await run(['undo', 'post.md']);
    expect(undo.code).toBe(2);
    expect(undo.stderr).toMatch(message);
    expect(await readFile(path)).toEqual(revised);
    expect(await readFile(record, 'utf8')).toBe(damage);
  });
});

function canMountTmpfs(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = join(tmpdir(), `draft-state-probe-${process.pid}`);
  try {
    execFileSync('mkdir', ['-p', probe]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe]);
    return true;
  } catch {
    return false;
  } finally {
    execFileSync('rm', ['-rf', probe]);
  }
}
