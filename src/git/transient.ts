// Git failures that go away by themselves: another git process is half-way through creating a
// worktree (`failed to read worktrees/<n>/commondir`), holds a lock (`index.lock`, a ref lock), or
// is rewriting a file we read. The one place git's text is read to decide: callers get a yes/no
// and a bounded retry with backoff, and decide from those, never from the message.
import { ErrorCode, GasTownError } from '../errors.js';

const transientPatterns: readonly RegExp[] = [
  /failed to read .*worktrees\/[^\s/]+\/(commondir|gitdir|HEAD)/i,
  /unable to read/i,
  /\.lock'?:? File exists/i,
  /unable to create '[^']*\.lock'/i,
  /another git process seems to be running/i,
  /cannot lock ref/i,
  /could not lock/i,
  /unable to lock/i,
  /resource temporarily unavailable/i,
  /index file smaller than expected/i,
];

/** Whether `error` is a git failure worth trying again (a race with another git process). */
export function isTransientGitError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e instanceof GasTownError && e.code !== ErrorCode.git) continue;
    if (transientPatterns.some((pattern) => pattern.test(e.message))) return true;
  }
  return false;
}

export interface GitRetryOptions {
  /** Tries in all (default 4). */
  attempts?: number;
  /** The first pause; each next one doubles (default 200 ms). */
  baseMs?: number;
  /** Told before each retry, with the error that caused it. */
  onRetry?: (error: unknown, attempt: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn`, running it again after a transient git error, up to `attempts` times in all with
 * doubling pauses; any other error, or the last transient one, is thrown as it is.
 */
export async function retryTransientGit<T>(
  fn: (attempt: number) => Promise<T>,
  options: GitRetryOptions = {},
): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 4);
  const sleep = options.sleep ?? pause;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !isTransientGitError(error)) throw error;
      options.onRetry?.(error, attempt);
      await sleep((options.baseMs ?? 200) * 2 ** (attempt - 1));
    }
  }
}
