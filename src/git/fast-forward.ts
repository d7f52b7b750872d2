// Moves the branch a work tree has checked out forward to a commit, refusing anything that is not a
// fast-forward; and puts a work tree back on its branch with no local changes to tracked files
// (the Refinery's work tree is the town's, so stray edits there are never work to keep).
import { ErrorCode, GasTownError } from '../errors.js';
import type { WorkTree } from './hardened.js';
import { gitAt, tryGitAt } from './hardened.js';

/** `git merge --ff-only <commit>` in `tree`; a non-fast-forward is a `git_failed` error. */
export async function fastForward(tree: WorkTree, commit: string): Promise<void> {
  if (commit.startsWith('-')) throw new GasTownError(ErrorCode.git, `not a revision: ${commit}`);
  await gitAt(tree, ['merge', '--quiet', '--ff-only', '--no-verify', commit]);
}

/**
 * Makes `tree` sit on `branch` with no staged or unstaged changes to tracked files (untracked
 * files stay). Returns true when something had to be reset.
 */
export async function resetToBranch(tree: WorkTree, branch: string): Promise<boolean> {
  const head = await tryGitAt(tree, ['symbolic-ref', '--quiet', 'HEAD']);
  const onBranch = head.exitCode === 0 && head.stdout.trim() === `refs/heads/${branch}`;
  const status = ['status', '--porcelain', '--untracked-files=no', '--ignore-submodules=all'];
  const dirty = (await gitAt(tree, status)) !== '';
  if (onBranch && !dirty) return false;
  // Something was interrupted (a merge, a rebase): abandon it, then drop what it left behind.
  for (const operation of ['rebase', 'merge', 'cherry-pick']) await tryGitAt(tree, [operation, '--abort']);
  await gitAt(tree, ['reset', '--quiet', '--hard', 'HEAD']);
  if (!onBranch) await gitAt(tree, ['checkout', '--quiet', branch, '--']);
  return true;
}
