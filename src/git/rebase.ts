// Rebases the commit checked out in a work tree onto another commit. A conflict is an answer, not
// an error: the rebase is aborted, the work tree is back where it was, and the conflicting paths are
// returned. The committer is the caller's identity; authors are kept. Runs hardened (hardened.ts).
import { ErrorCode, GasTownError } from '../errors.js';
import type { CommitIdentity } from './commit.js';
import type { WorkTree } from './hardened.js';
import { gitAt, tryGitAt } from './hardened.js';
import { gitComplaint } from './run-git.js';

export interface RebaseRequest {
  tree: WorkTree;
  /** The commit (or ref) to replay the work tree's commits onto. */
  onto: string;
  committer: CommitIdentity;
}

export type RebaseResult = { ok: true; commit: string } | { ok: false; conflicts: string[]; message: string };

/** `-c` arguments naming `who` as the committer (git wants user.* even when the env says it). */
export function committerArgs(who: CommitIdentity): string[] {
  return ['-c', `user.name=${who.name}`, '-c', `user.email=${who.email}`];
}

export async function rebaseOnto(request: RebaseRequest): Promise<RebaseResult> {
  const { tree, committer: who } = request;
  const args = committerArgs(who);
  const opts = { env: { GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email } };
  if (request.onto.startsWith('-')) throw new GasTownError(ErrorCode.git, `not a revision: ${request.onto}`);
  const rebase = await tryGitAt(tree, [...args, 'rebase', '--quiet', '--no-autostash', request.onto], opts);
  if (rebase.exitCode === 0) return { ok: true, commit: await gitAt(tree, ['rev-parse', 'HEAD']) };
  const unmerged = await gitAt(tree, ['diff', '--no-ext-diff', '--name-only', '--diff-filter=U']);
  await tryGitAt(tree, ['rebase', '--abort']);
  const conflicts = unmerged.split('\n').filter((line) => line !== '');
  const message = gitComplaint(`${rebase.stderr}\n${rebase.stdout}`);
  // No unmerged path means it was not a conflict (a broken repository, a missing commit).
  if (conflicts.length === 0) throw new GasTownError(ErrorCode.git, `git rebase failed: ${message}`);
  return { ok: false, conflicts, message };
}
