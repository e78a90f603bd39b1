import type { Writable } from 'node:stream';
import { DraftError, ExitCode, isAbortError } from './core/errors.js';
import { redactSecrets } from './core/provider/redact.js';

/** Values of variables that look like credentials, so no message can echo one. */
export function secretsInEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value && /(KEY|TOKEN|SECRET|PASSWORD)/i.test(name))
    .map(([, value]) => value!);
}

/**
 * The single error handler: one line saying what went wrong (naming the file, field or flag),
 * a hint, and the exit code the error carries. Stack traces only with --debug.
 */
export function handleError(error: unknown, options: { debug: boolean; env: NodeJS.ProcessEnv; stderr: Writable }): number {
  const secrets = secretsInEnv(options.env);
  const clean = (s: string) => redactSecrets(s, secrets);
  const write = (s: string) => options.stderr.write(clean(s) + '\n');
  if (isAbortError(error)) {
    write('Interrupted: no draft was written or changed.');
    return ExitCode.interrupted;
  }
  if (error instanceof DraftError) {
    write(`error: ${error.message}`);
    if (error.hint) write(`hint: ${error.hint}`);
    if (options.debug && error.stack) write(error.stack);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(`error: unexpected failure: ${message}`);
  write(options.debug && error instanceof Error && error.stack ? error.stack : 'hint: run again with --debug for details, and report it if it persists');
  return ExitCode.failure;
}
