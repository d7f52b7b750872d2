// Worktrees that come and go: a detached one to rebase and check a change in, and removing a
// worktree and its branch once the work on it has landed. Removal is idempotent: a worktree or
// branch already gone is not an error.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ErrorCode, GasTownError } from '../errors.js';
import { git, tryGit } from './run-git.js';

/**
 * Adds a worktree at `path` with `commit` checked out on a detached HEAD. `--force` lets it reuse a
 * path still registered to a worktree whose directory is gone (a crash between add and remove).
 */
export async function addDetachedWorktree(gitDir: string, path: string, commit: string): Promise<void> {
  await git(['worktree', 'add', '--quiet', '--force', '--detach', '--', path, commit], { cwd: gitDir });
}

/**
 * Removes the worktree at `path` (even with local changes) and forgets it. The worktree may belong
 * to the sandbox user, so git is told to trust exactly that directory. Registrations whose
 * directory is gone are pruned only when this one was not a clean removal: a removed worktree
 * takes its registration with it, and each git process costs the daemon a fork.
 */
export async function removeWorktree(gitDir: string, path: string): Promise<void> {
  const safe = ['-c', `safe.directory=${resolve(path)}`];
  if (existsSync(path)) {
    const removed = await tryGit([...safe, 'worktree', 'remove', '--force', '--force', '--', path], {
      cwd: gitDir,
    });
    if (removed.exitCode === 0) return;
    // Not a registered worktree (a leftover directory): delete the files ourselves.
    await rm(path, { recursive: true, force: true });
  }
  await git(['worktree', 'prune'], { cwd: gitDir });
}

/** Deletes a local branch; true when it existed. */
export async function deleteBranch(gitDir: string, branch: string): Promise<boolean> {
  if (branch.startsWith('-')) throw new GasTownError(ErrorCode.git, `not a branch name: ${branch}`);
  const exists = await tryGit(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { cwd: gitDir });
  if (exists.exitCode !== 0) return false;
  await git(['branch', '--quiet', '-D', '--', branch], { cwd: gitDir });
  return true;
}
