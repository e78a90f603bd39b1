import type { Ui } from '../ui/ui.js';

export interface CommandContext {
  ui: Ui;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C / SIGTERM. Pass it to every model call and long operation. */
  signal: AbortSignal;
  debug: boolean;
}
