// Squashes the commits between `onto` and HEAD of a worktree into one, keeping the last commit's
// message (its trailers name the bead and the session that finished it) and author. A bead then
// lands as exactly one commit, however many sessions, reworks or WIP commits its branch holds.
import type { CommitIdentity } from './commit.js';
import { untrustedWorkConfig } from './rebase.js';
import { git } from './run-git.js';

export async function squashOnto(request: {
  worktree: string;
  onto: string;
  committer: CommitIdentity;
  config?: string[];
}): Promise<string> {
  const who = request.committer;
  const args = [
    ...untrustedWorkConfig,
    ...(request.config ?? []),
    `user.name=${who.name}`,
    `user.email=${who.email}`,
  ].flatMap((setting) => ['-c', setting]);
  const opts = {
    cwd: request.worktree,
    env: { GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email },
  };
  const count = Number(await git([...args, 'rev-list', '--count', `${request.onto}..HEAD`], opts));
  if (count <= 1) return git([...args, 'rev-parse', 'HEAD'], opts);
  const message = await git([...args, 'log', '-1', '--format=%B', 'HEAD'], opts);
  const author = await git([...args, 'log', '-1', '--format=%an <%ae>', 'HEAD'], opts);
  await git([...args, 'reset', '--quiet', '--soft', request.onto], opts);
  await git(
    [...args, 'commit', '--quiet', '--no-verify', '--allow-empty', '--author', author, '-m', message],
    opts,
  );
  return git([...args, 'rev-parse', 'HEAD'], opts);
}
