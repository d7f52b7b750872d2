// Adds a worktree of a (bare) repository, checked out on an existing local branch.
import { git } from './run-git.js';

export async function addWorktree(gitDir: string, path: string, branch: string): Promise<void> {
  await git(['worktree', 'add', '--quiet', '--', path, branch], { cwd: gitDir });
}

/** Adds a worktree on a new branch starting at `startPoint` (e.g. `origin/main`). */
export async function addBranchWorktree(
  gitDir: string,
  path: string,
  branch: string,
  startPoint: string,
): Promise<void> {
  await git(['worktree', 'add', '--quiet', '-b', branch, '--', path, startPoint], { cwd: gitDir });
}

/** Updates `refs/remotes/origin/*` from the rig's remote. */
export async function fetchOrigin(gitDir: string): Promise<void> {
  await git(['fetch', '--quiet', '--prune', 'origin'], { cwd: gitDir });
}
