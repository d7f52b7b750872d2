// Makes a rig's mirror: a bare clone whose branches are also tracked as `origin/*`.
//
// Why bare + `remote.origin.fetch = +refs/heads/*:refs/remotes/origin/*` rather than `--mirror`:
// a mirror fetches `+refs/*:refs/*`, which force-moves local branches, and git refuses to update a
// branch that a worktree has checked out — so the refinery and polecat worktrees would block every
// fetch. With the refspec above, `git fetch` only moves `refs/remotes/origin/*`, local branches
// (the refinery's target branch, `polecat/<name>/<bead>`) belong to the town, and new worktrees
// start from `origin/<branch>`. Passing the refspec with `clone -c` makes the initial fetch fill
// both `refs/heads/*` and `refs/remotes/origin/*` in one round trip.
import { remoteGit } from './hardened.js';
import { stdoutOf } from './run-git.js';

export const trackingRefspec = '+refs/heads/*:refs/remotes/origin/*';

export async function cloneBare(url: string, dest: string): Promise<void> {
  // `--` ends the options, so a URL that starts with `-` can never be read as a git option.
  const args = [
    'clone',
    '--quiet',
    '--bare',
    '-c',
    `remote.origin.fetch=${trackingRefspec}`,
    '--',
    url,
    dest,
  ];
  stdoutOf(args, await remoteGit(undefined, args));
}
