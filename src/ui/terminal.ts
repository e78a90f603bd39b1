import type { Writable } from 'node:stream';

/**
 * What the commands know about the terminal. Logs and spinners go to stderr, results to stdout;
 * colour and animation only when stderr is a TTY and neither NO_COLOR nor CI says otherwise.
 */
export interface TerminalEnv {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** stdin is a TTY: we may ask questions. */
  stdinIsTTY: boolean;
  /** stderr is a TTY: we may animate. */
  stderrIsTTY: boolean;
  /** Width of stderr's terminal; 0 when unknown (a pty nobody sized). */
  columns?: number;
}

export function detectTerminal(): TerminalEnv {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    columns: process.stderr.columns ?? 0,
  };
}

export function colorEnabled(term: TerminalEnv): boolean {
  const { env } = term;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (isCI(env)) return false;
  return term.stderrIsTTY && env.TERM !== 'dumb';
}

export function isCI(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.CI && env.CI !== 'false' && env.CI !== '0');
}

/**
 * Spinners and live progress only where a person is watching a real terminal. A terminal with
 * no width (a pty nobody sized) is treated as none: spinners redraw by counting wrapped lines.
 */
export function animationEnabled(term: TerminalEnv): boolean {
  return term.stderrIsTTY && (term.columns ?? 0) > 0 && !isCI(term.env) && term.env.TERM !== 'dumb';
}
