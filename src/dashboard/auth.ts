// The dashboard's access token: 32 random bytes in `.gt/dashboard-token` (mode 0600), made on first
// need, and the Hono middleware that demands it as `Authorization: Bearer <token>` on every API call.
// A header, never a cookie: another site's page cannot make the browser send it, so no CSRF.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MiddlewareHandler } from 'hono';

export const tokenFile = (gtDir: string): string => join(gtDir, 'dashboard-token');

/** The town's dashboard token, created (0600, exclusively) when there is none yet. */
export function ensureToken(gtDir: string): string {
  const file = tokenFile(gtDir);
  const existing = readToken(file);
  if (existing !== undefined) return existing;
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process made it between our read and our write: theirs wins.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const made = readToken(file);
  if (made === undefined) throw new Error(`could not read the dashboard token at ${file}`);
  return made;
}

function readToken(file: string): string | undefined {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}

/** Constant-time: the comparison takes as long whether the first or the last byte differs. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function requireToken(token: string): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const given = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!tokenMatches(token, given)) {
      c.header('WWW-Authenticate', 'Bearer realm="gastown"');
      return c.json(
        { error: 'missing or wrong token (Authorization: Bearer <token>)', code: 'unauthorized' },
        401,
      );
    }
    await next();
  };
}
