// The target branch, made current before each merge, and the question crash safety rests on: is
// this request's work already on the target? In `push` and `pr` modes the remote is the truth:
// fetch, then fast-forward the rig's own branch to it. A local branch that diverged from the remote
// is never forced; the request fails and says so.
import { ErrorCode, GasTownError } from '../../errors.js';
import {
  commitsWithTrailer,
  fastForward,
  fetchOrigin,
  isAncestor,
  resetToBranch,
  resolveCommit,
  tryGitAt,
  worktreeState,
} from '../../git/index.js';
import type { MergeRequest } from './merge-queue.js';
import type { RefineryContext } from './refinery-context.js';
import { refineryTree } from './refinery-context.js';

export interface Target {
  /** The commit the request is rebased onto. */
  base: string;
  /** The ref whose history decides whether work has landed (the remote's, outside `local`). */
  landedRef: string;
}

export const beadTrailer = 'Gas-Town-Bead';

export async function prepareTarget(ctx: RefineryContext): Promise<Target> {
  const { repo } = ctx.paths;
  const branch = ctx.rig.branch;
  const localRef = `refs/heads/${branch}`;
  // The refinery worktree is the town's: after a crash it may sit mid-update; put it back. One
  // status says whether it already sits clean on the branch, and at which commit.
  const tree = await refineryTree(ctx);
  const state = await worktreeState(tree);
  const settled = state.branch === branch && state.clean ? state.head : undefined;
  if (settled === undefined) await resetToBranch(tree, branch);
  if (ctx.config.merge_mode === 'local')
    return { base: settled ?? (await mustResolve(repo, localRef)), landedRef: localRef };
  await fetchOrigin(repo);
  const remoteRef = `refs/remotes/origin/${branch}`;
  const remote = await mustResolve(repo, remoteRef);
  const local = await mustResolve(repo, localRef);
  if (local !== remote) {
    if (await isAncestor(repo, local, remote)) await fastForward(tree, remote);
    else if (!(await isAncestor(repo, remote, local))) {
      throw new GasTownError(
        ErrorCode.conflict,
        `${branch} in ${repo} has diverged from origin/${branch}; reconcile it by hand`,
        { ids: { rig: ctx.rig.name, branch } },
      );
    }
  }
  // push: the rig's branch (at or ahead of the remote) is what lands; pr: the remote's branch.
  const base = ctx.config.merge_mode === 'push' ? await mustResolve(repo, localRef) : remote;
  return { base, landedRef: remoteRef };
}

/**
 * The commit through which the request's work is already on the target, if it is: the candidate
 * recorded before landing, the polecat's head itself (a fast-forward), or a commit carrying the
 * bead's trailer that the head does not already contain (its rebased copy).
 */
export async function findLanded(
  ctx: RefineryContext,
  mr: MergeRequest,
  target: Target,
): Promise<string | undefined> {
  const repo = ctx.paths.repo;
  const tip = target.landedRef;
  if (mr.merged_commit && (await isAncestor(repo, mr.merged_commit, tip))) return mr.merged_commit;
  // One process says both: exit 0, the head is on the target; 1, it is a commit that is not;
  // anything else, the head is no commit here (head_commit is a full sha, checked when queued).
  const probe = await tryGitAt({ gitDir: repo }, ['merge-base', '--is-ancestor', mr.head_commit, tip]);
  if (probe.exitCode === 0) return mr.head_commit;
  const head = probe.exitCode === 1 ? mr.head_commit : undefined;
  const found = await commitsWithTrailer(repo, tip, head, beadTrailer, mr.bead_id);
  return found[0];
}

async function mustResolve(repo: string, ref: string): Promise<string> {
  const sha = await resolveCommit(repo, ref);
  if (!sha) throw new GasTownError(ErrorCode.notFound, `${ref} not found in ${repo}`, { ids: { ref } });
  return sha;
}
