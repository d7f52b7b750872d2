// Squashes the commits between `onto` and HEAD of a work tree into one, keeping the last commit's
// message (its trailers name the bead and the session that finished it) and author. A bead then
// lands as exactly one commit, however many sessions, reworks or WIP commits its branch holds.
import type { CommitIdentity } from './commit.js';
import type { WorkTree } from './hardened.js';
import { gitAt } from './hardened.js';
import { committerArgs } from './rebase.js';

export async function squashOnto(request: {
  tree: WorkTree;
  onto: string;
  committer: CommitIdentity;
}): Promise<string> {
  const { tree, committer: who } = request;
  const args = committerArgs(who);
  const opts = { env: { GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email } };
  const count = Number(await gitAt(tree, ['rev-list', '--count', `${request.onto}..HEAD`]));
  if (count <= 1) return gitAt(tree, ['rev-parse', 'HEAD']);
  const message = await gitAt(tree, ['log', '-1', '--format=%B', 'HEAD']);
  const author = await gitAt(tree, ['log', '-1', '--format=%an <%ae>', 'HEAD']);
  await gitAt(tree, ['reset', '--quiet', '--soft', request.onto]);
  await gitAt(
    tree,
    [...args, 'commit', '--quiet', '--no-verify', '--allow-empty', '--author', author, '-m', message],
    opts,
  );
  return gitAt(tree, ['rev-parse', 'HEAD']);
}
