/**
 * Drives the CLI through a real pseudo-terminal (util-linux `script`), so stdin and stderr are
 * TTYs and @inquirer/prompts behaves exactly as it does for a person at a keyboard.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BIN } from './cli.js';

export const KEYS = { enter: '\r', down: '\x1b[B', up: '\x1b[A' };

export interface PtySession {
  /** Resolves once the output printed after `mark()` (or since the start) matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** From now on, waitFor only looks at new output (prompts redraw, so old text would match). */
  mark(): void;
  send(keys: string): void;
  /** Everything printed so far, ANSI sequences removed. */
  readonly screen: string;
  /** Everything printed so far, exactly as the terminal received it (colour codes included). */
  readonly raw: string;
  exit: Promise<number>;
  /** Sends a signal to the command itself (not to `script`), as `kill` from another shell would. */
  signal(name: NodeJS.Signals): void;
  /** Resolves to the exit code, or rejects (after killing the session) if it has not exited in time. */
  exitWithin(timeoutMs: number): Promise<number>;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function startPty(args: string[], options: { cwd: string; env: Record<string, string> }): PtySession {
  // A pty starts with no size; give it one, as a terminal window would.
  const command = `stty cols 120 rows 40; exec ${[process.execPath, BIN, ...args].map(shellQuote).join(' ')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: options.cwd,
    env: { ...options.env, TERM: 'xterm-256color', COLUMNS: '200', LINES: '50' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let raw = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    raw += d.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const clean = () => raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  let since = 0;
  const exit = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  return {
    get screen() {
      return clean();
    },
    get raw() {
      return raw;
    },
    send: (keys) => child.stdin.write(keys),
    mark: () => {
      since = clean().length;
    },
    waitFor(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(clean().slice(since))) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; screen:\n${clean()}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    exit,
    signal(name) {
      // `script` runs the command as its only child (the shell execs it).
      const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      if (children.length !== 1) throw new Error(`expected one process under script, found ${children.length}`);
      process.kill(Number(children[0]), name);
    },
    exitWithin(timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`still running after ${timeoutMs} ms; screen:\n${clean()}`));
        }, timeoutMs);
        void exit.then((code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    },
  };
}
