// Whether a local branch exists (and has a commit) in a repository.
import { tryGit } from './run-git.js';

export async function branchExists(gitDir: string, branch: string): Promise<boolean> {
  if (branch.startsWith('-') || branch.trim() === '') return false;
  const result = await tryGit(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], {
    cwd: gitDir,
  });
  return result.exitCode === 0;
}
