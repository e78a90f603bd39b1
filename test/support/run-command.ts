/**
 * Runs a command handler in-process, as `draft` would with its output piped: a non-interactive,
 * colourless UI whose stdout and stderr are captured and returned.
 */
import { PassThrough } from 'node:stream';
import type { CommandContext } from '../../src/commands/context.js';
import { createUi } from '../../src/ui/ui.js';

export async function runCommand(
  command: (ctx: CommandContext) => Promise<void>,
  context: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ui = await createUi(
    { stdout, stderr, env: { NO_COLOR: '1' }, stdinIsTTY: false, stderrIsTTY: false },
    { interactive: false, debug: false },
  );
  await command({ ui, cwd: context.cwd, env: context.env, signal: new AbortController().signal, debug: false });
  return { stdout: out, stderr: err };
}
