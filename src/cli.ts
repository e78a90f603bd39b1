import { Command, CommanderError, Option } from 'commander';
import { ExitCode } from './core/errors.js';
import { handleError } from './error-handler.js';
import type { CommandContext } from './commands/context.js';

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

interface GlobalOptions {
  debug?: boolean;
  yes?: boolean;
}

async function makeContext(signal: AbortSignal, options: GlobalOptions): Promise<CommandContext> {
  const { detectTerminal } = await import('./ui/terminal.js');
  const { createUi } = await import('./ui/ui.js');
  const term = detectTerminal();
  const ui = await createUi(term, { interactive: term.stdinIsTTY && !options.yes, debug: Boolean(options.debug) });
  return { ui, cwd: process.cwd(), env: process.env, signal, debug: Boolean(options.debug) };
}

type ContextFactory = (options: GlobalOptions) => Promise<CommandContext>;

const collect = (value: string, previous: string[] = []) => [...previous, value];

function providerOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--provider <name>', 'openai, deepseek, ollama, lmstudio, openrouter, custom or local'))
    .option('--base-url <url>', 'any OpenAI-compatible endpoint (e.g. http://127.0.0.1:8080/v1)')
    .option('--model <name>', 'model name (default: the provider preset’s, or $DRAFT_MODEL)')
    .option('--api-key-env <NAME>', 'read the API key from this environment variable')
    .option('--model-path <file>', 'a GGUF model file for --provider local')
    .option('--timeout <seconds>', 'idle timeout per request: no reply or streamed token for this long, then retry (default 60)')
    .option('--retries <n>', 'retries after a failed request (default 3)')
    .option('--config <file>', 'config file (default: ./draft.config.json)');
}

export function buildProgram(context: ContextFactory): Command {
  const program = new Command('draft')
    .description('AI-assisted drafting: an editor directs, a model writes, and the collaboration is recorded.')
    .version(process.env.npm_package_version ?? '0.1.0', '-V, --version')
    .option('--debug', 'show stack traces and request details (never secrets)')
    .showHelpAfterError(false);

  providerOptions(
    program
      .command('new')
      .description('write a new draft from a brief: outline, then sections, then drafts/<slug>.md')
      .option('--brief <file>', 'YAML or JSON brief (flags override its fields)')
      .option('--topic <text>', 'what the post is about (required)')
      .option('--direction <text>', "the editor's angle, e.g. “focus on the financial and business implications”")
      .option('--audience <text>', 'who the post is for')
      .option('--tone <text>', 'e.g. analytical, conversational')
      .option('--words <n>', 'target length in words (default 1000)')
      .option('--sections <n>', 'number of sections after the introduction (default 5)')
      .option('--title <text>', 'a working title; the model may refine it')
      .option('--keep-title', 'use --title exactly')
      .option('--keyword <k>', 'SEO keyword (repeatable)', collect)
      .option('--link <"Title=URL">', 'a link the post must cite (repeatable)', collect)
      .option('--author <name>', 'the editor’s name, for the front matter and the notes')
      .option('--out <dir>', 'output folder (default: drafts)')
      .option('--file-name <pattern>', 'file name pattern: {slug}, {date}, {year}, {month}, {day} (default {slug}.md)')
      .option('--force', 'overwrite an existing file instead of adding a numeric suffix')
      .option('--concurrency <n>', 'model calls in flight at once (default 4)')
      .option('--max-tokens <n>', 'cap on each reply’s length')
      .option('--notes-heading <text>', 'heading of the generated notes (default “Collaboration notes”)')
      .option('-y, --yes', 'ask nothing: accept the outline as generated')
      .option('--dry-run', 'print the requests that would be sent, with token estimates; send nothing')
      .option('--json', 'print the result as JSON on stdout'),
  ).action(async (options, cmd: Command) => {
    const { runNew } = await import('./commands/new.js');
    await runNew(options, await context({ ...cmd.optsWithGlobals(), yes: options.yes }));
  });

  return program;
}
