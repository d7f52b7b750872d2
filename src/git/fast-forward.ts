// Moves the branch a worktree has checked out forward to a commit, refusing anything that is not a
// fast-forward; and puts a worktree back on its branch with no local changes to tracked files
// (the Refinery's worktree is the town's, so stray edits there are never work to keep).
import { ErrorCode, GasTownError } from '../errors.js';
import { git, tryGit } from './run-git.js';
import { untrustedWorkConfig } from './rebase.js';

const settings = (config: string[] = []) =>
  [...untrustedWorkConfig, ...config].flatMap((setting) => ['-c', setting]);

/** `git merge --ff-only <commit>` in `worktree`; a non-fast-forward is a `git_failed` error. */
export async function fastForward(worktree: string, commit: string, config?: string[]): Promise<void> {
  if (commit.startsWith('-')) throw new GasTownError(ErrorCode.git, `not a revision: ${commit}`);
  await git([...settings(config), 'merge', '--quiet', '--ff-only', commit], { cwd: worktree });
}

/**
 * Makes `worktree` sit on `branch` with no staged or unstaged changes to tracked files (untracked
 * files stay). Returns true when something had to be reset.
 */
export async function resetToBranch(worktree: string, branch: string, config?: string[]): Promise<boolean> {
  const args = settings(config);
  const opts = { cwd: worktree };
  const head = await tryGit([...args, 'symbolic-ref', '--quiet', 'HEAD'], opts);
  const onBranch = head.exitCode === 0 && head.stdout.trim() === `refs/heads/${branch}`;
  const dirty = (await git([...args, 'status', '--porcelain', '--untracked-files=no'], opts)) !== '';
  if (onBranch && !dirty) return false;
  // Something was interrupted (a merge, a rebase): abandon it, then drop what it left behind.
  for (const operation of ['rebase', 'merge', 'cherry-pick'])
    await tryGit([...args, operation, '--abort'], opts);
  await git([...args, 'reset', '--quiet', '--hard', 'HEAD'], opts);
  if (!onBranch) await git([...args, 'checkout', '--quiet', branch, '--'], opts);
  return true;
}
