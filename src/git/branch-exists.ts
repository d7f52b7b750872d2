// Whether a local branch exists (and has a commit) in a repository.
import { tryGitAt } from './hardened.js';

export async function branchExists(gitDir: string, branch: string): Promise<boolean> {
  if (branch.startsWith('-') || branch.trim() === '') return false;
  const result = await tryGitAt({ gitDir }, [
    'rev-parse',
    '--verify',
    '--quiet',
    `refs/heads/${branch}^{commit}`,
  ]);
  return result.exitCode === 0;
}
