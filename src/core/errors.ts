/**
 * Errors carry their exit code, so only the entry point decides how the process ends
 * (0 ok, 1 run-time failure, 2 usage/config/input, 130 interrupted).
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface DraftErrorOptions {
  hint?: string;
  cause?: unknown;
  /** A stable, machine-readable name for this failure (kebab-case); scripts match on it, never on the message. */
  code?: string;
  /** The command already printed its outcome as JSON on stdout (a failed `check --json`): no second object. */
  printedAsJson?: boolean;
}

export class DraftError extends Error {
  readonly exitCode: ExitCodeValue = ExitCode.failure;
  readonly hint?: string;
  /** Stable across releases; shown in --json failures and batch reports. */
  readonly code: string;
  readonly printedAsJson: boolean;

  constructor(message: string, options: DraftErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.code = options.code ?? (new.target as unknown as { defaultCode?: string }).defaultCode ?? 'failed';
    this.printedAsJson = options.printedAsJson ?? false;
  }
}

/** Bad flags, bad brief, bad config, bad input file: the user can fix it and retry. */
export class UsageError extends DraftError {
  static readonly defaultCode: string = 'usage';
  override readonly exitCode = ExitCode.usage;
}

/** Something failed while running (provider, network, model output). */
export class RunError extends DraftError {
  static readonly defaultCode: string = 'failed';
  override readonly exitCode = ExitCode.failure;
}

/** Nothing configured at all: a dry run can still go ahead; a real run cannot. */
export class NoProviderError extends UsageError {
  static override readonly defaultCode = 'no-provider';
}

/** Exit 1: `draft check` found problems (they are already printed, one a line). */
export class CheckFailedError extends RunError {}

/** --provider-batch: --max-cost refused a stage; its drafts are reported as stopped by the budget. */
export class BudgetStop extends RunError {
  constructor(message: string) {
    super(message, { code: 'budget' });
  }
}

/** Exit 1 after a completed batch run: some drafts failed, or the budget or --fail-fast stopped it early. */
export class BatchFailedError extends RunError {}

/** Ctrl-C / SIGTERM. Nothing half-written is left behind. */
export class InterruptedError extends DraftError {
  static readonly defaultCode: string = 'interrupted';
  override readonly exitCode = ExitCode.interrupted;
  constructor(message = 'Interrupted', options: DraftErrorOptions = {}) {
    super(message, options);
  }
}

export type ProviderErrorKind =
  | 'auth'
  | 'model-not-found'
  | 'rate-limit'
  | 'server'
  | 'unreachable'
  | 'timeout'
  | 'bad-request'
  | 'structured-output-unsupported'
  | 'context-overflow'
  | 'length'
  | 'empty'
  | 'invalid-output'
  | 'not-installed';

/** A failure talking to the model. `retryable` drives the retry loop; the message is user-facing. */
export class ProviderError extends RunError {
  readonly kind: ProviderErrorKind;
  readonly retryable: boolean;
  readonly status?: number;
  /** Milliseconds the server asked us to wait, if it said. */
  readonly retryAfterMs?: number;
  /** The server's request id (`x-request-id`), for a support ticket. */
  readonly requestId?: string;

  constructor(
    kind: ProviderErrorKind,
    message: string,
    options: DraftErrorOptions & { retryable?: boolean; status?: number; retryAfterMs?: number; requestId?: string } = {},
  ) {
    super(message, { ...options, code: options.code ?? `provider-${kind}` });
    this.kind = kind;
    this.retryable = options.retryable ?? false;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.requestId = options.requestId;
  }
}

/** What a machine reads about a failure: in `--json` failures and batch report entries. */
export interface ErrorFacts {
  code: string;
  message: string;
  hint?: string;
  exitCode: ExitCodeValue;
  /** The provider's request id, when it gave one. */
  requestId?: string;
}

/**
 * The facts of any thrown value. Not redacted: callers redact message and hint for where they go.
 * An error that is not a DraftError is a bug in draft: `unexpected`.
 */
export function errorFacts(error: unknown): ErrorFacts {
  if (isAbortError(error))
    return { code: 'interrupted', message: 'Interrupted: no draft was written or changed.', exitCode: ExitCode.interrupted };
  if (error instanceof DraftError) {
    const requestId = error instanceof ProviderError ? error.requestId : undefined;
    return {
      code: error.code,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      exitCode: error.exitCode,
      ...(requestId ? { requestId } : {}),
    };
  }
  return { code: 'unexpected', message: error instanceof Error ? error.message : String(error), exitCode: ExitCode.failure };
}

/** Ctrl-C in any of its forms: our own, an aborted fetch, the SDK's, or a question (@inquirer) cancelled. */
export function isAbortError(error: unknown): boolean {
  return (
    error instanceof InterruptedError ||
    (error instanceof Error && ['AbortError', 'APIUserAbortError', 'ExitPromptError', 'AbortPromptError'].includes(error.name))
  );
}
