// Adds a worktree of a (bare) repository, checked out on an existing local branch; and fetches.
// The checkout runs hardened: a branch a polecat filled may carry `.gitattributes` naming drivers.
import { gitAt, remoteGit } from './hardened.js';
import { stdoutOf } from './run-git.js';

export async function addWorktree(gitDir: string, path: string, branch: string): Promise<void> {
  await gitAt({ gitDir }, ['worktree', 'add', '--quiet', '--', path, branch]);
}

/** Adds a worktree on a new branch starting at `startPoint` (e.g. `origin/main`). */
export async function addBranchWorktree(
  gitDir: string,
  path: string,
  branch: string,
  startPoint: string,
): Promise<void> {
  await gitAt({ gitDir }, ['worktree', 'add', '--quiet', '-b', branch, '--', path, startPoint]);
}

/** Updates `refs/remotes/origin/*` from the rig's remote. */
export async function fetchOrigin(gitDir: string): Promise<void> {
  const args = ['fetch', '--quiet', '--prune', 'origin'];
  stdoutOf(args, await remoteGit(gitDir, args));
}
