// Git URLs as the user typed them, made safe to store: a local path becomes absolute (so the
// mirror keeps working whatever directory later commands run in); URLs git understands
// (`scheme://…`, scp-like `user@host:path`) pass through untouched.
import { isAbsolute, resolve } from 'node:path';

const schemeUrl = /^[a-z][a-z0-9+.-]*:\/\//i;
/** scp-like syntax: a colon before the first slash, e.g. `git@github.com:org/repo.git`. */
const scpLike = /^[^/]+:/;

export function isLocalGitPath(url: string): boolean {
  return !schemeUrl.test(url) && !scpLike.test(url);
}

export function normalizeGitUrl(url: string, cwd: string): string {
  const trimmed = url.trim();
  if (!isLocalGitPath(trimmed) || isAbsolute(trimmed)) return trimmed;
  return resolve(cwd, trimmed);
}
