/**
 * Issue 15: a process registers only the command its argv names (buildProgram with argv), so the
 * other commands' flags are never built. Nothing the user sees may change: every command's help and
 * the usage errors read exactly as they do from the full program. In-process; the e2e start-up test
 * checks once that the process registers from its argv.
 */
import { describe, expect, it } from 'vitest';
import { runDraft } from './support/run-command.js';

const COMMANDS = [
  'new',
  'batch',
  'check',
  'cache',
  'revise',
  'history',
  'undo',
  'focus',
  'models',
  'providers',
  'init',
  'publish',
  'chat',
  'state',
];
const cwd = process.cwd();

async function bothWays(args: string[]) {
  const [only, full] = await Promise.all([runDraft(args, { cwd, invokedOnly: true }), runDraft(args, { cwd })]);
  return {
    only: { code: only.code, stdout: only.stdout, stderr: only.stderr },
    full: { code: full.code, stdout: full.stdout, stderr: full.stderr },
  };
}

describe('only the invoked command is registered, and no output changes', () => {
  it('each command’s --help is the full program’s, word for word', async () => {
    for (const args of [...COMMANDS.map((c) => [c, '--help']), ['--debug', 'models', 'list', '--help'], ['--help'], ['help', 'new']]) {
      const { only, full } = await bothWays(args);
      expect(full.code, args.join(' ')).toBe(0);
      expect(full.stdout.length, args.join(' ')).toBeGreaterThan(0);
      expect(only, args.join(' ')).toEqual(full);
    }
  });

  it('usage errors read the same: a mistyped flag, a mistyped command, a missing subcommand', async () => {
    for (const args of [['new', '--topc', 'x'], ['nwe'], ['revise'], ['models', 'lst']]) {
      const { only, full } = await bothWays(args);
      expect(full.code, args.join(' ')).toBe(2);
      expect(only, args.join(' ')).toEqual(full);
    }
  });

  it('the top-level help still lists every command', async () => {
    const help = (await runDraft(['--help'], { cwd, invokedOnly: true })).stdout;
    for (const command of COMMANDS) expect(help).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });
});
