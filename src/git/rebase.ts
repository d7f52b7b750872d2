// Rebases the commit checked out (detached) in a worktree onto another commit. A conflict is an
// answer, not an error: the rebase is aborted, the worktree is back where it was, and the
// conflicting paths are returned. The committer is the caller's identity; authors are kept.
import { ErrorCode, GasTownError } from '../errors.js';
import type { CommitIdentity } from './commit.js';
import { git, gitComplaint, tryGit } from './run-git.js';

export interface RebaseRequest {
  worktree: string;
  /** The commit (or ref) to replay the worktree's commits onto. */
  onto: string;
  committer: CommitIdentity;
  /** Extra `-c` settings (safe.directory for a worktree owned by the sandbox user). */
  config?: string[];
}

export type RebaseResult = { ok: true; commit: string } | { ok: false; conflicts: string[]; message: string };

/** Settings for every git command the town runs on work it did not write itself: no hooks. */
export const untrustedWorkConfig = ['core.hooksPath=/dev/null', 'commit.gpgsign=false'];

export async function rebaseOnto(request: RebaseRequest): Promise<RebaseResult> {
  const who = request.committer;
  const config = [
    ...untrustedWorkConfig,
    ...(request.config ?? []),
    `user.name=${who.name}`,
    `user.email=${who.email}`,
  ];
  const args = config.flatMap((setting) => ['-c', setting]);
  const opts = {
    cwd: request.worktree,
    env: { GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email },
  };
  if (request.onto.startsWith('-')) throw new GasTownError(ErrorCode.git, `not a revision: ${request.onto}`);
  const rebase = await tryGit([...args, 'rebase', '--quiet', '--no-autostash', request.onto], opts);
  if (rebase.exitCode === 0) return { ok: true, commit: await git([...args, 'rev-parse', 'HEAD'], opts) };
  const unmerged = await git([...args, 'diff', '--name-only', '--diff-filter=U'], opts);
  await tryGit([...args, 'rebase', '--abort'], opts);
  const conflicts = unmerged.split('\n').filter((line) => line !== '');
  const message = gitComplaint(`${rebase.stderr}\n${rebase.stdout}`);
  // No unmerged path means it was not a conflict (a broken repository, a missing commit).
  if (conflicts.length === 0) throw new GasTownError(ErrorCode.git, `git rebase failed: ${message}`);
  return { ok: false, conflicts, message };
}
