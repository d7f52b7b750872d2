// Typed errors for the whole town. An error says what went wrong (`code`), whether trying again
// may help (`retryable`), and which exit code the CLI maps it to: the table below is the only place
// exit codes are defined.

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  notInTown: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const ErrorCode = {
  invalidInput: 'invalid_input',
  notFound: 'not_found',
  conflict: 'conflict',
  alreadyClaimed: 'already_claimed',
  notInTown: 'not_in_town',
  git: 'git_failed',
  io: 'io_failed',
  ledgerTampered: 'ledger_tampered',
  /** A polecat changed what host-side git relies on (its `.git`, its HEAD): never retried. */
  tamper: 'security_tamper',
  /** The town cannot run work here (no sandbox, no agent binary, a rig's files gone). */
  unavailable: 'unavailable',
  /** A lifecycle (polecat, session, merge request, convoy) was asked for a move its table forbids. */
  illegalTransition: 'illegal_transition',
  /** The state store (SQLite file or PostgreSQL server) failed or cannot be reached. */
  store: 'store_failed',
  internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const exitFor: Record<ErrorCode, ExitCode> = {
  invalid_input: ExitCode.usage,
  not_found: ExitCode.notFound,
  conflict: ExitCode.conflict,
  already_claimed: ExitCode.conflict,
  not_in_town: ExitCode.notInTown,
  git_failed: ExitCode.failure,
  io_failed: ExitCode.failure,
  ledger_tampered: ExitCode.failure,
  security_tamper: ExitCode.failure,
  unavailable: ExitCode.failure,
  illegal_transition: ExitCode.conflict,
  store_failed: ExitCode.failure,
  internal: ExitCode.failure,
};

export interface GasTownErrorOptions {
  retryable?: boolean;
  /** Ids the error is about (bead, rig, polecat), so callers decide without parsing text. */
  ids?: Record<string, string>;
  cause?: unknown;
  /** The command already showed the problem; the top level only sets the exit code. */
  shown?: boolean;
}

export class GasTownError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly ids: Record<string, string>;
  readonly shown: boolean;

  constructor(code: ErrorCode, message: string, options: GasTownErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GasTownError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.ids = options.ids ?? {};
    this.shown = options.shown ?? false;
  }

  get exitCode(): ExitCode {
    return exitFor[this.code];
  }
}

export function invalidInput(message: string, ids?: Record<string, string>): GasTownError {
  return new GasTownError(ErrorCode.invalidInput, message, ids ? { ids } : {});
}

export function notFound(what: string, id: string): GasTownError {
  return new GasTownError(ErrorCode.notFound, `${what} not found: ${id}`, { ids: { [what]: id } });
}

export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof GasTownError ? error.exitCode : ExitCode.failure;
}
