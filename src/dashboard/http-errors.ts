// Errors as HTTP answers: a GasTownError keeps its code and message and maps to a status from this
// one table; anything else is a 500 whose details stay in the log, not on the page.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { ErrorCode, GasTownError } from '../errors.js';

const statusFor: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  already_claimed: 409,
  not_in_town: 500,
  git_failed: 500,
  io_failed: 500,
  ledger_tampered: 500,
  security_tamper: 409,
  unavailable: 503,
  illegal_transition: 409,
  store_failed: 503,
  internal: 500,
};

export function errorResponse(c: Context, error: unknown, log?: (message: string) => void): Response {
  if (error instanceof GasTownError)
    return c.json({ error: error.message, code: error.code }, statusFor[error.code]);
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const where = issue?.path.join('.') ?? '';
    return c.json(
      { error: `${where ? `${where}: ` : ''}${issue?.message ?? 'bad input'}`, code: ErrorCode.invalidInput },
      400,
    );
  }
  log?.(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return c.json({ error: 'internal error (see the daemon log)', code: ErrorCode.internal }, 500);
}
