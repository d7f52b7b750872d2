// The branch a repository's HEAD names. On a fresh bare clone that is the remote's default branch
// (clone copies the remote's HEAD), so no second network round trip is needed.
import { tryGitAt } from './hardened.js';

/** The short branch name HEAD points at, or undefined when HEAD is detached. */
export async function headBranch(gitDir: string): Promise<string | undefined> {
  const result = await tryGitAt({ gitDir }, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  const name = result.stdout.trim();
  return result.exitCode === 0 && name !== '' ? name : undefined;
}
