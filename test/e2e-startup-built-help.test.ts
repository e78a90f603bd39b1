/**
 * `draft --help` prints the help the build rendered (dist/help.json) without loading the CLI. It must
 * be the program's own help word for word, on a pipe and on a terminal, and never a stale one.
 */
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT, runCli } from './support/cli.js';
import { startPty } from './support/pty.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { tempDir } = useServerAndTempDir('draft-built-help-');
const built = () => JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'help.json'), 'utf8')) as { width: number; text: string };

describe('the help the build rendered', () => {
  it('is what the program itself prints for --help, word for word, through a pipe', async () => {
    // `--debug --help` is not the fast path: commander renders it from the registered commands.
    const rendered = await runCli(['--debug', '--help'], { cwd: tempDir() });
    expect(rendered.code).toBe(0);
    expect(rendered.stdout).toMatch(/^Usage: draft /);
    for (const args of [['--help'], ['-h']]) {
      const fast = await runCli(args, { cwd: tempDir() });
      expect(fast, args.join(' ')).toEqual(rendered);
    }
    expect(built().text).toBe(rendered.stdout);
  });

  it('is printed on a terminal wider than the help, and every help stays within that width', async () => {
    const pty = startPty(['--help'], { cwd: tempDir(), env: { PATH: process.env.PATH ?? '', HOME: tempDir() } });
    expect(await pty.exitWithin(10_000)).toBe(0);
    expect(pty.screen).toBe(built().text);

    const command = startPty(['new', '--help'], { cwd: tempDir(), env: { PATH: process.env.PATH ?? '', HOME: tempDir() } });
    expect(await command.exitWithin(10_000)).toBe(0);
    expect(command.screen).toMatch(/^Usage: draft new /m);
    const widest = Math.max(...command.screen.split('\n').map((line) => line.length));
    expect(widest).toBeLessThanOrEqual(built().width);
  });

  it('is not used once the CLI is newer (a later `npx tsc`), nor for any other arguments; the newer entry runs', () => {
    // A copy of bin/draft.js beside a stand-in CLI that says it ran.
    const root = join(tempDir(), 'install');
    mkdirSync(join(root, 'bin'), { recursive: true });
    mkdirSync(join(root, 'dist'), { recursive: true });
    copyFileSync(BIN, join(root, 'bin', 'draft.js'));
    copyFileSync(join(REPO_ROOT, 'bin', 'package.json'), join(root, 'bin', 'package.json'));
    writeFileSync(join(root, 'package.json'), '{"type":"module"}');
    writeFileSync(
      join(root, 'dist', 'cli.js'),
      "export async function main(argv) { console.error('cli ran', argv.slice(2).join(' ')); return 0; }\n",
    );
    writeFileSync(join(root, 'dist', 'help.json'), JSON.stringify({ width: 80, text: 'the built help\n' }));
    const bin = join(root, 'bin', 'draft.js');
    const run = (...args: string[]) => {
      const { stdout, stderr } = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
      return `${stdout}${stderr}`;
    };
    const at = (file: string, seconds: number) => utimesSync(join(root, 'dist', file), seconds, seconds);

    at('cli.js', 1_000_000);
    at('help.json', 2_000_000);
    expect(run('--help')).toBe('the built help\n');
    expect(run('-h')).toBe('the built help\n');
    // Into /dev/null (a character device, but no terminal) as well: the stand-in CLI does not run.
    expect(spawnSync(process.execPath, [bin, '--help'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' }).stderr).toBe('');
    expect(run('new', '--help')).toBe('cli ran new --help\n');
    expect(run('--help', '--debug')).toBe('cli ran --help --debug\n');

    at('cli.js', 3_000_000);
    expect(run('--help')).toBe('cli ran --help\n');

    // Beside the bundle's CommonJS entry, the newer of the two runs: a later `npx tsc`, or a later build.
    copyFileSync(join(REPO_ROOT, 'bin', 'compile-cache.js'), join(root, 'bin', 'compile-cache.js'));
    writeFileSync(
      join(root, 'dist', 'cli.cjs'),
      "exports.main = async (argv) => { console.error('bundle ran', argv.slice(2).join(' ')); return 0; };\n",
    );
    at('cli.cjs', 2_500_000);
    expect(run('new', '--help')).toBe('cli ran new --help\n');
    at('cli.cjs', 4_000_000);
    expect(run('new', '--help')).toBe('bundle ran new --help\n');
    expect(run('--help')).toBe('bundle ran --help\n'); // the help is older than it
  });
});
