import type { TerminalEnv } from './terminal.js';
import { animationEnabled, colorEnabled } from './terminal.js';

export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

export interface Progress {
  /** Shows the text; after stop() (e.g. for a question), shows the spinner again. */
  update(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  stop(): void;
}

/** The only way commands talk to the user. Core modules never see it. */
export interface Ui {
  readonly term: TerminalEnv;
  readonly paint: Paint;
  /** Questions may be asked (stdin is a TTY and --yes was not given). */
  readonly interactive: boolean;
  readonly debugEnabled: boolean;
  /** Progress is drawn live (spinner); otherwise one plain line per event. */
  readonly animated: boolean;
  info(message: string): void;
  warn(message: string): void;
  success(message: string): void;
  debug(message: string): void;
  /** A spinner on a TTY; a plain line at start and end otherwise. */
  progress(text: string): Promise<Progress>;
  /** A result for stdout (what scripts read). */
  out(text: string): void;
  json(value: unknown): void;
}

/** Colour off: NO_COLOR, CI, a pipe. */
export const NO_PAINT: Paint = {
  bold: (s) => s,
  dim: (s) => s,
  red: (s) => s,
  green: (s) => s,
  yellow: (s) => s,
  cyan: (s) => s,
};

export async function createUi(term: TerminalEnv, options: { interactive: boolean; debug: boolean }): Promise<Ui> {
  const color = colorEnabled(term);
  let paint: Paint = NO_PAINT;
  if (color) {
    // chalk is only imported when there is colour to paint.
    const { Chalk } = await import('chalk');
    const chalk = new Chalk({ level: 1 });
    paint = {
      bold: (s) => chalk.bold(s),
      dim: (s) => chalk.dim(s),
      red: (s) => chalk.red(s),
      green: (s) => chalk.green(s),
      yellow: (s) => chalk.yellow(s),
      cyan: (s) => chalk.cyan(s),
    };
  }
  const line = (s: string) => term.stderr.write(`${s}\n`);
  const animate = animationEnabled(term);

  return {
    term,
    paint,
    interactive: options.interactive,
    debugEnabled: options.debug,
    animated: animate,
    info: (m) => line(m),
    warn: (m) => line(paint.yellow('warning: ') + m),
    success: (m) => line(paint.green('✔ ') + m),
    debug: (m) => {
      if (options.debug) line(paint.dim(`debug: ${m}`));
    },
    out: (t) => term.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    json: (v) => term.stdout.write(`${JSON.stringify(v, null, 2)}\n`),
    async progress(text) {
      if (!animate) {
        line(text);
        return {
          update: () => {},
          succeed: (t) => line(paint.green('✔ ') + t),
          fail: (t) => line(paint.red('✖ ') + t),
          stop: () => {},
        };
      }
      const { default: ora } = await import('ora');
      const spinner = ora({
        text,
        stream: term.stderr,
        // ora's default puts stdin in raw mode without reading it, so Ctrl-C never became SIGINT:
        // leave the terminal alone and let the kernel deliver the signal.
        discardStdin: false,
        // NO_COLOR means no colour codes at all, the spinner's frames included.
        color: color ? 'cyan' : false,
      });
      spinner.start();
      // Our own symbols, painted by `paint`, so colour is decided in one place.
      let ended = false;
      const end = (symbol: string, t: string) => {
        ended = true;
        spinner.stopAndPersist({ symbol, text: t });
      };
      return {
        update: (t) => {
          spinner.text = t;
          if (!spinner.isSpinning && !ended) spinner.start();
        },
        succeed: (t) => end(paint.green('✔'), t),
        fail: (t) => end(paint.red('✖'), t),
        stop: () => spinner.stop(),
      };
    },
  };
}
