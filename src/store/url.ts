// `store.url` as town.yaml holds it and as the driver needs it. The password never sits in
// town.yaml: the URL names an environment variable (`postgres://gt:${GT_STORE_PASSWORD}@db/town`),
// or leaves it out and PGPASSWORD supplies it. The resolved URL lives only in memory; everything
// printed or recorded goes through describeUrl.
import { ErrorCode, GasTownError } from '../errors.js';

const reference = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const schemes = new Set(['postgres:', 'postgresql:']);

/** Why a `store.url` from town.yaml is not acceptable, or undefined when it is. */
export function storeUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.replace(reference, 'x'));
  } catch {
    return 'is not a URL (expected postgres://user@host:port/database)';
  }
  if (!schemes.has(parsed.protocol)) return `must start with postgres:// (got ${parsed.protocol}//)`;
  if (parsed.pathname.length <= 1) return 'names no database (postgres://user@host:port/database)';
  const password = passwordPart(url);
  if (password !== undefined && password !== '' && !/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(password)) {
    return 'holds a password: name an environment variable instead (postgres://user:${GT_STORE_PASSWORD}@host/db) or set PGPASSWORD';
  }
  return undefined;
}

/** The raw password part of a URL's authority, before any decoding. */
function passwordPart(url: string): string | undefined {
  const authority = /^[a-z]+:\/\/([^/?#]*)/i.exec(url)?.[1] ?? '';
  const at = authority.lastIndexOf('@');
  if (at < 0) return undefined;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  return colon < 0 ? undefined : userinfo.slice(colon + 1);
}

/** Fills `${VAR}` references from `env`, and the password from PGPASSWORD when the URL has none. */
export function resolveStoreUrl(url: string, env: Record<string, string | undefined>): string {
  const missing: string[] = [];
  const filled = url.replace(reference, (_, name: string) => {
    const value = env[name];
    if (value === undefined) {
      missing.push(name);
      return '';
    }
    return encodeURIComponent(value);
  });
  if (missing.length > 0) {
    throw new GasTownError(
      ErrorCode.invalidInput,
      `store.url names ${missing.map((n) => `$${n}`).join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not set in the environment`,
    );
  }
  const parsed = new URL(filled);
  if (parsed.password === '' && env.PGPASSWORD) parsed.password = encodeURIComponent(env.PGPASSWORD);
  return parsed.toString();
}
