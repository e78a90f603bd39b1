import type { Writable } from 'node:stream';
import { DraftError, errorFacts, type ErrorFacts } from './core/errors.js';
import { redactSecrets, secretsInEnv } from './core/provider/redact.js';

export interface ErrorOutput {
  debug: boolean;
  env: NodeJS.ProcessEnv;
  stderr: Writable;
  /** With --json: the failure is also one JSON object on stdout, `{"error": {code, message, hint, exitCode, requestId}}`. */
  json?: { stdout: Writable };
}

/**
 * The single error handler: one line saying what went wrong (naming the file, field or flag),
 * a hint, and the exit code the error carries. Stack traces only with --debug.
 */
export function handleError(error: unknown, options: ErrorOutput): number {
  const secrets = secretsInEnv(options.env);
  const clean = (s: string) => redactSecrets(s, secrets);
  const write = (s: string) => options.stderr.write(`${clean(s)}\n`);
  const facts = errorFacts(error);
  if (options.json && !(error instanceof DraftError && error.printedAsJson)) writeJsonFailure(options.json.stdout, facts, clean);
  if (facts.code === 'interrupted') {
    write(facts.message);
    return facts.exitCode;
  }
  const stack = options.debug && error instanceof Error ? error.stack : undefined;
  if (facts.code === 'unexpected') {
    write(`error: unexpected failure: ${facts.message}`);
    write(stack ?? 'hint: run again with --debug for details, and report it if it persists');
    return facts.exitCode;
  }
  write(`error: ${facts.message}`);
  if (facts.hint) write(`hint: ${facts.hint}`);
  if (stack) write(stack);
  return facts.exitCode;
}

/** Whether the command line asks for --json (before any `--`), so its failure is also printed as JSON. */
export function jsonRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** The --json form of a failure; its fields are those of ErrorFacts, redacted like every other output. */
export function writeJsonFailure(stdout: Writable, facts: ErrorFacts, clean: (s: string) => string = (s) => s): void {
  const error: ErrorFacts = { ...facts, message: clean(facts.message), ...(facts.hint ? { hint: clean(facts.hint) } : {}) };
  stdout.write(`${JSON.stringify({ error })}\n`);
}
