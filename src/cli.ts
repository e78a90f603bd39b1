import { Command, CommanderError } from 'commander';
import { ExitCode } from './core/errors.js';
import { handleError } from './error-handler.js';
import type { CommandContext } from './commands/context.js';
import type { ContextFactory, GlobalOptions } from './cli/options.js';
import { registerNew } from './cli/new-command.js';

/** Each command's flags live in src/cli/<name>-command.ts; its work in src/commands/<name>.ts. */
const COMMANDS = [registerNew];

/**
 * The entry point, and the only place that decides how the process ends. Only commander and
 * node:* load eagerly; each command imports what it needs when it runs, so `draft --help` stays fast.
 */
export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
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
  const program = buildProgram(async (options) => makeContext(controller.signal, options));
  program.exitOverride();
  program.configureOutput({ outputError: () => {} });
  try {
    await program.parseAsync(argv);
    return interrupted ? ExitCode.interrupted : ExitCode.ok;
  } catch (error) {
    if (interrupted) {
      const { cleanupTempFilesSync } = await import('./core/fs/atomic-write.js');
      cleanupTempFilesSync();
      process.stderr.write('Interrupted: no draft was written or changed.\n');
      return ExitCode.interrupted;
    }
    if (error instanceof CommanderError) {
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      process.stderr.write(`error: ${error.message.replace(/^error: /, '')}\nhint: see \`draft --help\`\n`);
      return ExitCode.usage;
    }
    return handleError(error, { debug, env: process.env, stderr: process.stderr });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function makeContext(signal: AbortSignal, options: GlobalOptions): Promise<CommandContext> {
  const { detectTerminal } = await import('./ui/terminal.js');
  const { createUi } = await import('./ui/ui.js');
  const term = detectTerminal();
  const ui = await createUi(term, { interactive: term.stdinIsTTY && !options.yes, debug: Boolean(options.debug) });
  return { ui, cwd: process.cwd(), env: process.env, signal, debug: Boolean(options.debug) };
}

export function buildProgram(context: ContextFactory): Command {
  const program = new Command('draft')
    .description('AI-assisted drafting: an editor directs, a model writes, and the collaboration is recorded.')
    .version(process.env.npm_package_version ?? '0.1.0', '-V, --version')
    .option('--debug', 'show stack traces and request details (never secrets)')
    .showHelpAfterError(false);
  for (const register of COMMANDS) register(program, context);
  return program;
}
