// Worktrees that come and go: a detached one to rebase and check a change in, and removing a
// worktree and its branch once the work on it has landed. Removal is idempotent: a worktree or
// branch already gone is not an error.
import { rm } from 'node:fs/promises';
import { ErrorCode, GasTownError } from '../errors.js';
import { gitAt, tryGitAt } from './hardened.js';

/**
 * Adds a worktree at `path` with `commit` checked out on a detached HEAD. `--force` lets it reuse a
 * path still registered to a worktree whose directory is gone (a crash between add and remove).
 */
export async function addDetachedWorktree(gitDir: string, path: string, commit: string): Promise<void> {
  await gitAt({ gitDir }, ['worktree', 'add', '--quiet', '--force', '--detach', '--', path, commit]);
}

/**
 * Removes the worktree at `path` (whatever is in it) and forgets it. `git worktree remove` would
 * read the worktree's `.git` (which a polecat may have rewritten) to find what to forget, so the
 * files go first (`rm` never follows a symlink out), then `git worktree prune` drops every
 * registration whose directory is gone, from the repository's own records.
 */
export async function removeWorktree(gitDir: string, path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
  await gitAt({ gitDir }, ['worktree', 'prune']);
}

/** Deletes a local branch; true when it existed. */
export async function deleteBranch(gitDir: string, branch: string): Promise<boolean> {
  if (branch.startsWith('-')) throw new GasTownError(ErrorCode.git, `not a branch name: ${branch}`);
  const exists = await tryGitAt({ gitDir }, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]);
  if (exists.exitCode !== 0) return false;
  await gitAt({ gitDir }, ['branch', '--quiet', '-D', '--', branch]);
  return true;
}
