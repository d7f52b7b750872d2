// Who owns a worktree. As root, steps run as the town's sandbox uid, so the worktree belongs to that
// uid for its whole life: `prepareWorktreeForSandbox` hands over anything that is not yet its (files
// root's git wrote between steps included) and runs before every step. Root still reads, changes and
// deletes those files freely; git run by root on them needs `sandboxGitArgs(worktree)`, because git
// refuses a repository owned by someone else ("dubious ownership").
import { lstat, lchown, opendir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { invalidInput } from '../errors.js';
import { defaultSandboxIds } from './spec.js';
import type { SandboxIds } from './spec.js';

async function ownTree(path: string, ids: SandboxIds, device?: number): Promise<number> {
  const stat = await lstat(path);
  // Never cross into another filesystem, and never chown a file with other names: a hard link a
  // step planted to a system file would otherwise hand that file to the sandbox user.
  if ((device !== undefined && stat.dev !== device) || (!stat.isDirectory() && stat.nlink > 1)) return 0;
  let changed = 0;
  if (stat.uid !== ids.uid || stat.gid !== ids.gid) {
    await lchown(path, ids.uid, ids.gid);
    changed += 1;
  }
  if (!stat.isDirectory()) return changed;
  const dir = await opendir(path);
  for await (const entry of dir) changed += await ownTree(join(path, entry.name), ids, stat.dev);
  return changed;
}

/**
 * Makes `worktree` (recursively; symlinks not followed, other filesystems and hard-linked files left
 * alone) owned by the sandbox uid/gid and returns how many entries changed. Idempotent and cheap when nothing changed; does nothing unless
 * we are root (an ordinary user's steps run as that user and already own what they write).
 */
export async function prepareWorktreeForSandbox(
  worktree: string,
  ids: SandboxIds = defaultSandboxIds,
): Promise<number> {
  if (!isAbsolute(worktree) || resolve(worktree) === '/') {
    throw invalidInput(`sandbox worktree must be an absolute path other than /: ${worktree}`, {
      path: worktree,
    });
  }
  if (process.getuid?.() !== 0) return 0;
  return ownTree(resolve(worktree), ids);
}

/**
 * Arguments to put before a git subcommand run by us (root) on a sandbox-owned worktree:
 * `git ...sandboxGitArgs(wt) status`. Command-line `safe.directory` counts as protected
 * configuration (git >= 2.39), so this trusts exactly this worktree and nothing else.
 */
export function sandboxGitArgs(worktree: string): string[] {
  return ['-c', `safe.directory=${resolve(worktree)}`];
}
