/**
 * Runs draft in-process, as it runs with its output piped: a non-interactive, colourless UI whose
 * stdout and stderr are captured and returned. `runDraft` takes the same arguments as the built
 * CLI and ends the same way (the real program, flags and error handler); `runCommand` calls one
 * command function directly. Only the process itself (signals, a pty, start-up) needs `runCli`.
 */
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { expect } from 'vitest';
import { DraftError } from '../../src/core/errors.js';
import { sharedSignal } from '../../src/core/shared-signal.js';
import { buildProgram, exitCodeFor } from '../../src/cli.js';
import type { CommandContext } from '../../src/commands/context.js';
import { createUi } from '../../src/ui/ui.js';
import { baseEnv, type CliResult, type RunOptions } from './cli.js';

interface Captured {
  stdout: PassThrough;
  stderr: PassThrough;
  text: () => { stdout: string; stderr: string };
}

function capture(): Captured {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { stdout, stderr, text: () => ({ stdout: out, stderr: err }) };
}

async function pipedContext(
  io: Captured,
  cwd: string,
  env: NodeJS.ProcessEnv,
  options: { debug: boolean; uiEnv?: NodeJS.ProcessEnv },
): Promise<CommandContext> {
  const ui = await createUi(
    { stdout: io.stdout, stderr: io.stderr, env: options.uiEnv ?? env, stdinIsTTY: false, stderrIsTTY: false, columns: 0 },
    { interactive: false, debug: options.debug },
  );
  // Shared by every request in flight, as main() marks the process's signal.
  return { ui, cwd, env, signal: sharedSignal(new AbortController().signal), debug: options.debug };
}

export async function runCommand(
  command: (ctx: CommandContext) => Promise<void>,
  context: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ stdout: string; stderr: string }> {
  const io = capture();
  await command(await pipedContext(io, context.cwd, context.env, { debug: false, uiEnv: { NO_COLOR: '1' } }));
  return io.text();
}

/** The DraftError a command fails with; fails the test when it succeeds or throws anything else. */
export async function commandFailure(
  command: (ctx: CommandContext) => Promise<void>,
  context: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<DraftError> {
  const error = await runCommand(command, context).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DraftError);
  return error as DraftError;
}

/** Commander writes help and its own errors through each command's output settings: send them to the captured streams. */
function routeOutput(command: Command, io: Captured): void {
  command.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
    getOutHelpWidth: () => 80,
    getErrHelpWidth: () => 80,
    getOutHasColors: () => false,
    getErrHasColors: () => false,
  });
  for (const sub of command.commands) routeOutput(sub, io);
}

/**
 * `draft <args>` in-process, with the environment `runCli` gives a child (PATH, a private HOME,
 * NO_COLOR) plus `options.env`, and the exit code the process would end with. No signals: a test
 * that sends one is about the process and uses `runCli`.
 */
export async function runDraft(args: string[], options: RunOptions & { invokedOnly?: boolean }): Promise<CliResult> {
  if (options.onSpawn || options.input !== undefined)
    throw new Error('runDraft has no child process or stdin: use runCli for signals and input');
  const env = Object.fromEntries(
    Object.entries({ ...baseEnv(options.cwd), ...options.env }).filter(([, v]) => v !== undefined),
  ) as NodeJS.ProcessEnv;
  const io = capture();
  const debug = args.includes('--debug');
  // invokedOnly: register only the command the arguments name, as main() does for a process.
  const program = buildProgram(
    async (globals) => pipedContext(io, options.cwd, env, { debug: Boolean(globals.debug) }),
    options.invokedOnly ? ['node', 'draft', ...args] : undefined,
  );
  routeOutput(program, io);
  let code: number;
  try {
    await program.parseAsync(['node', 'draft', ...args]);
    code = 0;
  } catch (error) {
    code = exitCodeFor(error, { debug, env, stderr: io.stderr, ...(args.includes('--json') ? { json: { stdout: io.stdout } } : {}) });
  }
  return { code, signal: null, ...io.text() };
}
