import { NO_PAINT, type Paint } from './ui.js';

/** Colours a unified diff line by line; with colour off (NO_COLOR, CI, a pipe) it is the plain diff. */
export function paintDiff(diff: string, paint: Paint): string {
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return paint.bold(line);
      if (line.startsWith('@@')) return paint.cyan(line);
      if (line.startsWith('+')) return paint.green(line);
      if (line.startsWith('-')) return paint.red(line);
      if (line.startsWith('\\')) return paint.dim(line);
      return line;
    })
    .join('\n');
}

/**
 * The diff goes to stdout while the terminal checks look at stderr, so `draft revise --dry-run > x.diff`
 * must not write escape codes into the file: colour only when stdout is a terminal too (or forced).
 */
export function diffPaint(ui: { paint: Paint; term: { stdout: unknown; env: NodeJS.ProcessEnv } }): Paint {
  const forced = ui.term.env.FORCE_COLOR !== undefined && ui.term.env.FORCE_COLOR !== '0';
  const stdoutIsTTY = Boolean((ui.term.stdout as { isTTY?: boolean }).isTTY);
  return forced || stdoutIsTTY ? ui.paint : NO_PAINT;
}
