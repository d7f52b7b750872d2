// Finding a work tree's git admin directory from trusted data only, and checking the one entry of
// the work tree git itself would follow: its `.git` file. The admin directories live in
// `<repo.git>/worktrees/<id>/`, each with a `gitdir` file naming the work tree's `.git` (written
// by `git worktree add`); a polecat cannot see them. The work tree's own `.git` is never read to
// find the admin directory, only compared against what git wrote, and put back when it differs.
import { lstat, open, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join, resolve } from 'node:path';
import { ErrorCode, GasTownError } from '../errors.js';
import type { WorkTree } from './hardened.js';

async function realOr(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

/** The registered work tree at `path` of the repository `repo`, or undefined when none is. */
export async function findWorkTree(repo: string, path: string): Promise<WorkTree | undefined> {
  const admin = join(repo, 'worktrees');
  const ids = await readdir(admin).catch(() => [] as string[]);
  const wanted = new Set([join(resolve(path), '.git'), join(await realOr(path), '.git')]);
  for (const id of ids) {
    const text = await readFile(join(admin, id, 'gitdir'), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const named = resolve(text.trim());
    if (wanted.has(named) || wanted.has(join(await realOr(join(named, '..')), '.git'))) {
      // Git writes real paths into both files; so do we (see `pointerText`).
      return { gitDir: await realOr(join(admin, id)), workTree: resolve(path) };
    }
  }
  return undefined;
}

/** Like `findWorkTree`, but a work tree the repository does not know is a `git_failed` error. */
export async function requireWorkTree(repo: string, path: string): Promise<WorkTree> {
  const found = await findWorkTree(repo, path);
  if (found) return found;
  throw new GasTownError(ErrorCode.git, `${path} is not a registered work tree of ${repo}`, {
    ids: { path },
  });
}

/** What `git worktree add` writes into the work tree's `.git`. */
export function pointerText(tree: WorkTree): string {
  return `gitdir: ${tree.gitDir}\n`;
}

export type PointerState = { ok: true } | { ok: false; found: string };

/**
 * Whether the work tree's `.git` is still the regular file git wrote, naming its admin directory.
 * `found` says what is there instead (kind, and the start of the content, made printable).
 */
export async function checkPointer(tree: WorkTree): Promise<PointerState> {
  const path = join(tree.workTree, '.git');
  const stat = await lstat(path).catch(() => undefined);
  if (stat === undefined) return { ok: false, found: '.git is missing' };
  if (stat.isSymbolicLink()) return { ok: false, found: '.git is a symbolic link' };
  if (stat.isDirectory()) return { ok: false, found: '.git is a directory' };
  if (!stat.isFile()) return { ok: false, found: '.git is not a regular file' };
  // O_NOFOLLOW: a swap to a symlink between lstat and open fails instead of reading elsewhere.
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
  if (handle === undefined) return { ok: false, found: '.git cannot be opened' };
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    if (text === pointerText(tree)) return { ok: true };
    return { ok: false, found: `.git reads ${JSON.stringify(printable(text))}` };
  } finally {
    await handle.close();
  }
}

/** Puts the work tree's `.git` back as git wrote it, whatever is there (a directory included). */
export async function restorePointer(tree: WorkTree): Promise<void> {
  const path = join(tree.workTree, '.git');
  await rm(path, { recursive: true, force: true });
  await writeFile(path, pointerText(tree), { flag: 'wx', mode: 0o644 });
}

/** At most 200 characters, control characters shown as `?`. */
function printable(text: string): string {
  const flat = [...text].map((c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' ? '?' : c)).join('');
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
