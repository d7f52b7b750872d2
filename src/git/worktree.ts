// Adds a worktree of a (bare) repository, checked out on an existing local branch.
import { git } from './run-git.js';

export async function addWorktree(gitDir: string, path: string, branch: string): Promise<void> {
  await git(['worktree', 'add', '--quiet', '--', path, branch], { cwd: gitDir });
}
