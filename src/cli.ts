import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { ExitCode, InterruptedError } from './core/errors.js';
import { sharedSignal } from './core/shared-signal.js';
import { handleError, jsonRequested, writeJsonFailure, type ErrorOutput } from './error-handler.js';
import type { CommandContext } from './commands/context.js';
import type { ContextFactory, GlobalOptions } from './cli/options.js';
import { configureHelpOutput } from './cli/help-output.js';
import { registerNew } from './cli/new-command.js';
import { registerBatch } from './cli/batch-command.js';
import { registerCheck } from './cli/check-command.js';
import { registerCache } from './cli/cache-command.js';
import { registerRevise } from './cli/revise-command.js';
import { registerHistory } from './cli/history-command.js';
import { registerUndo } from './cli/undo-command.js';
import { registerFocus } from './cli/focus-command.js';
import { registerModels } from './cli/models-command.js';
import { registerProviders } from './cli/providers-command.js';
import { registerInit } from './cli/init-command.js';
import { registerPublish } from './cli/publish-command.js';
import { registerState } from './cli/state-command.js';
import { registerChat } from './cli/chat-command.js';

// For scripts/bundle.mjs, which renders the top-level help at this width.
export { HELP_WIDTH } from './cli/help-output.js';

/** Each command's flags live in src/cli/<name>-command.ts; its work in src/commands/<name>.ts. In help order. */
const COMMANDS: [name: string, register: typeof registerNew][] = [
  ['new', registerNew],
  ['batch', registerBatch],
  ['check', registerCheck],
  ['cache', registerCache],
  ['revise', registerRevise],
  ['history', registerHistory],
  ['undo', registerUndo],
  ['focus', registerFocus],
  ['models', registerModels],
  ['providers', registerProviders],
  ['init', registerInit],
  ['publish', registerPublish],
  ['chat', registerChat],
  ['state', registerState],
];

/**
 * The command `argv` runs, when that is all the program needs to know: its name comes first (after
 * --debug at most), so only it is registered and the other commands' flags are never built. Anything
 * else (`draft`, `draft --help`, `draft help new`, a mistyped name) gets every command.
 */
function invokedCommand(argv: readonly string[]): string | undefined {
  const args = argv.slice(2);
  const at = args.findIndex((a) => a !== '--debug');
  const name = args[at];
  return name !== undefined && COMMANDS.some(([known]) => known === name) ? name : undefined;
}

/**
 * The entry point, and the only place that decides how the process ends. Only commander and
 * node:* load eagerly; each command imports what it needs when it runs, so `draft --help` stays fast.
 */
export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  sharedSignal(controller.signal);
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(ExitCode.interrupted); // a second Ctrl-C: stop now
    interrupted = true;
    process.stderr.write(`\n${signal === 'SIGINT' ? 'Interrupted' : 'Terminated'}: stopping, nothing half-written is kept…\n`);
    controller.abort(new Error('interrupted'));
    void import('./core/fs/atomic-write.js').then((m) => m.cleanupTempFilesSync());
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const debug = argv.includes('--debug');
  const output: ErrorOutput = {
    debug,
    env: process.env,
    // Only when something is written: creating the stream loads modules `draft --help` never needs.
    get stderr() {
      return process.stderr;
    },
    ...(jsonRequested(argv) ? { json: { stdout: process.stdout } } : {}),
  };
  const program = buildProgram(async (options) => makeContext(controller.signal, options), argv);
  try {
    await program.parseAsync(argv);
    return interrupted ? ExitCode.interrupted : ExitCode.ok;
  } catch (error) {
    if (interrupted) {
      const { cleanupTempFilesSync } = await import('./core/fs/atomic-write.js');
      cleanupTempFilesSync();
      return exitCodeFor(new InterruptedError(), output);
    }
    return exitCodeFor(error, output);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * How a failed parse or command ends: commander's errors in our format, the rest through the one error handler.
 * Exported so tests can drive the program in-process.
 */
export function exitCodeFor(error: unknown, options: ErrorOutput): number {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
    // `draft` alone: commander has already shown the help; that is the whole message.
    if (error.code === 'commander.help') return ExitCode.usage;
    const message = error.message.replace(/^error: /, '');
    if (options.json)
      writeJsonFailure(options.json.stdout, { code: 'usage', message, hint: 'see `draft --help`', exitCode: ExitCode.usage });
    options.stderr.write(`error: ${message}\nhint: see \`draft --help\`\n`);
    return ExitCode.usage;
  }
  return handleError(error, options);
}

async function makeContext(signal: AbortSignal, options: GlobalOptions): Promise<CommandContext> {
  const { detectTerminal } = await import('./ui/terminal.js');
  const { createUi } = await import('./ui/ui.js');
  const term = detectTerminal();
  const ui = await createUi(term, { interactive: term.stdinIsTTY && !options.yes, debug: Boolean(options.debug) });
  return { ui, cwd: process.cwd(), env: process.env, signal, debug: Boolean(options.debug) };
}

/** With `argv`, only the command it invokes is registered (see invokedCommand); without, every command. */
export function buildProgram(context: ContextFactory, argv?: readonly string[]): Command {
  const program = new Command('draft')
    .description('AI-assisted drafting: an editor directs, a model writes, and the collaboration is recorded.')
    .version(packageVersion(), '-V, --version')
    .option('--debug', 'show stack traces and request details (never secrets)')
    .showHelpAfterError(false)
    // Set before the subcommands exist, so they inherit it: commander must throw, not exit,
    // and its errors are printed by main() in our format with exit code 2.
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  configureHelpOutput(program);
  const only = argv && invokedCommand(argv);
  for (const [name, register] of COMMANDS) if (!only || name === only) register(program, context);
  return program;
}

function packageVersion(): string {
  try {
    return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}
