// Finds the town a command works in: `--town <dir>`, else `$GT_TOWN`, else the current directory
// and its parents. A town is a directory holding `town.yaml` next to `.gt/`.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ErrorCode, GasTownError } from '../errors.js';
import { rigPaths, townPaths } from './paths.js';
import { rigNamePattern } from './rig-names.js';

export interface LocateOptions {
  flag?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function isTown(dir: string): boolean {
  const paths = townPaths(dir);
  return existsSync(paths.config) && isDirectory(paths.gtDir);
}

/** Returns the absolute (symlink-free) root of the town, or throws `not_in_town`. */
export function locateTown(opts: LocateOptions): string {
  if (opts.flag !== undefined && opts.flag !== '')
    return explicitTown(resolve(opts.cwd, opts.flag), '--town');
  const fromEnv = opts.env.GT_TOWN;
  if (fromEnv !== undefined && fromEnv !== '') return explicitTown(resolve(opts.cwd, fromEnv), 'GT_TOWN');
  const start = resolve(opts.cwd);
  for (let dir = start; ; dir = dirname(dir)) {
    if (isTown(dir)) return canonical(dir);
    if (dirname(dir) === dir) break;
  }
  throw new GasTownError(
    ErrorCode.notInTown,
    `not inside a Gas Town (no town.yaml in ${start} or any parent); create one with \`gt install <dir>\` or pass --town <dir>`,
    { ids: { dir: start } },
  );
}

function explicitTown(dir: string, source: string): string {
  if (isTown(dir)) return canonical(dir);
  throw new GasTownError(
    ErrorCode.notInTown,
    `${dir} (from ${source}) is not a Gas Town: it has no town.yaml and .gt/; create one with \`gt install ${dir}\``,
    { ids: { dir } },
  );
}

/** The rig whose directory holds `cwd` (`<root>/<rig>/…`), if any. */
export function rigForPath(root: string, cwd: string): string | undefined {
  const rel = relative(canonical(root), canonical(resolve(root, cwd)));
  if (rel === '' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) return undefined;
  const first = rel.split(sep)[0];
  if (first === undefined || !rigNamePattern.test(first)) return undefined;
  return existsSync(rigPaths(root, first).config) ? first : undefined;
}

/** The real path when it exists (so symlinked spellings compare equal), else the resolved one. */
export function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
