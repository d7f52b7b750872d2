// How a merge request ends. The rule for crash safety: side effects first, each idempotent (bead
// changes, worktree and branch removal), and the request's final state last, in one transaction
// with its ledger event and the polecat's new state, fenced by the lease. A crash anywhere leaves the
// request `merging`; the Refinery that takes it again redoes only what is missing. A landed bead
// closes inside that last transaction: nobody (the convoy dispatcher, the Mayor's report) ever sees
// it closed while its merge is not yet recorded.
import { join } from 'node:path';
import { writeTx, writeTxAsync } from '../../db/open.js';
import { gitAt, isAncestor, removeWorktree, resolveCommit } from '../../git/index.js';
import { leaseLost } from './merge-queue-lease.js';
import type { RefineryContext } from './refinery-context.js';
import { setPolecatFor } from './refinery-context.js';
import { listPolecats } from '../polecat/index.js';
import type { MergeRequest, MergeRequestState } from './index.js';
import { moveMergeRequest } from './index.js';
import { reviewLabel, reworkLabel } from '../polecat/polecat-done.js';

export interface Ending {
  state: MergeRequestState;
  /** The state the request must be in (default `merging`); `pr_open` when a watched pull request ends. */
  from?: 'merging' | 'pr_open';
  kind: string;
  detail: string;
  mergedCommit?: string | null;
  prUrl?: string;
  polecat?: 'idle' | 'stopped';
  payload: Record<string, unknown>;
}

/** Writes the request's final state, the polecat's and the ledger event together; fenced. */
export function endRequest(ctx: RefineryContext, mr: MergeRequest, ending: Ending): void {
  writeTx(ctx.town.db, () => {
    // The polecat's move goes first so the event can say whether it happened; a lost lease rolls
    // it back with everything else.
    const polecatChanged = ending.polecat
      ? setPolecatFor(ctx, mr.polecat, mr.bead_id, ending.polecat, ending.kind)
      : false;
    const moved = moveMergeRequest(ctx.town, mr.id, {
      from: ending.from ?? 'merging',
      to: ending.state,
      attempts: mr.attempts,
      set: {
        detail: ending.detail,
        merged_commit: ending.mergedCommit === undefined ? mr.merged_commit : ending.mergedCommit,
        ...(ending.prUrl === undefined ? {} : { pr_url: ending.prUrl }),
      },
      event: {
        kind: ending.kind,
        actor: ctx.actor,
        bead_id: mr.bead_id,
        payload: {
          mr: mr.id,
          polecat: mr.polecat,
          rig: mr.rig,
          ...ending.payload,
          polecat_state: polecatChanged ? ending.polecat : null,
        },
      },
    });
    if (!moved) throw leaseLost(mr.id);
  });
}

/** A landed bead is closed (unless it already is) and loses its review and rework labels. */
export async function closeLandedBead(ctx: RefineryContext, mr: MergeRequest, reason: string): Promise<void> {
  const { beads } = ctx.town;
  const who = { actor: ctx.actor };
  const bead = await beads.get(mr.bead_id);
  if (bead && bead.status !== 'closed') await beads.close(mr.bead_id, reason, who);
  if (bead?.labels.includes(reviewLabel)) await beads.removeLabel(mr.bead_id, reviewLabel, who);
  if (bead?.labels.includes(reworkLabel)) await beads.removeLabel(mr.bead_id, reworkLabel, who);
}

/**
 * Closes the landed bead and ends its request as one transaction (the lease's fence failing rolls
 * the close back too).
 */
export async function closeAndEnd(
  ctx: RefineryContext,
  mr: MergeRequest,
  reason: string,
  ending: Ending,
): Promise<void> {
  await writeTxAsync(ctx.town.db, async () => {
    await closeLandedBead(ctx, mr, reason);
    endRequest(ctx, mr, ending);
  });
}

/** The work is on the target (confirmed): free the polecat's work, close the bead, end as merged. */
export async function finishMerged(
  ctx: RefineryContext,
  mr: MergeRequest,
  commit: string,
  already: boolean,
): Promise<void> {
  const cleanup = await removePolecatWork(ctx, mr);
  await closeAndEnd(ctx, mr, `merged in ${commit}`, {
    state: 'merged',
    kind: 'merge.merged',
    detail: `merged in ${commit}${already ? ' (found on the target)' : ''}`,
    mergedCommit: commit,
    ...(cleanup.kept === undefined ? { polecat: 'idle' as const } : {}),
    payload: {
      commit,
      branch: mr.branch,
      target: ctx.rig.branch,
      mode: ctx.config.merge_mode,
      already_on_target: already,
      ...cleanup,
    },
  });
}

export interface Cleanup {
  worktree_removed: string | null;
  branch_deleted: boolean;
  /** Why the polecat's branch and worktree were kept (work beyond what merged). */
  kept?: string;
}

/** Removes the polecat's worktree and branch, unless the branch has commits that did not merge. */
export async function removePolecatWork(ctx: RefineryContext, mr: MergeRequest): Promise<Cleanup> {
  const repo = ctx.paths.repo;
  const tip = await resolveCommit(repo, `refs/heads/${mr.branch}`);
  if (tip && tip !== mr.head_commit && !(await isAncestor(repo, tip, mr.head_commit))) {
    return {
      worktree_removed: null,
      branch_deleted: false,
      kept: `${mr.branch} has commits after ${mr.head_commit}`,
    };
  }
  const row = listPolecats(ctx.town.db, ctx.rig.name).find((p) => p.name === mr.polecat);
  let worktree: string | null = null;
  if (row?.bead_id === mr.bead_id) {
    worktree = row.worktree ?? join(ctx.paths.polecats, mr.polecat);
    await removeWorktree(repo, worktree);
  }
  // The branch was looked up just above; deleting it needs no second look.
  if (tip === undefined) return { worktree_removed: worktree, branch_deleted: false };
  await gitAt({ gitDir: repo }, ['branch', '--quiet', '-D', '--', mr.branch]);
  return { worktree_removed: worktree, branch_deleted: true };
}

/** A conflict or a failing check: the bead goes back to its polecat with the details. */
export async function sendToRework(
  ctx: RefineryContext,
  mr: MergeRequest,
  comment: string,
  payload: Record<string, unknown>,
): Promise<void> {
  const { beads } = ctx.town;
  const who = { actor: ctx.actor };
  await beads.addComment(mr.bead_id, comment, who);
  const bead = await beads.require(mr.bead_id);
  if (bead.status !== 'closed' && (bead.status !== 'open' || bead.assignee !== null)) {
    await beads.update(mr.bead_id, { status: 'open', assignee: null }, who);
  }
  await beads.removeLabel(mr.bead_id, reviewLabel, who);
  await beads.addLabel(mr.bead_id, reworkLabel, who);
  endRequest(ctx, mr, {
    state: 'rework',
    kind: 'merge.rework',
    detail: comment,
    mergedCommit: null,
    polecat: 'stopped',
    payload: { branch: mr.branch, head_commit: mr.head_commit, target: ctx.rig.branch, ...payload },
  });
}

/** Not the polecat's fault (push refused twice, GitHub down, no sandbox): the request fails. */
export async function markFailed(ctx: RefineryContext, mr: MergeRequest, reason: string): Promise<void> {
  const text = `Refinery could not merge ${mr.branch}: ${reason}\nThe work is still on ${mr.branch}; the target branch is unchanged.`;
  await ctx.town.beads.addComment(mr.bead_id, text, { actor: ctx.actor }).catch(() => undefined);
  endRequest(ctx, mr, {
    state: 'failed',
    kind: 'merge.failed',
    detail: reason,
    mergedCommit: null,
    payload: { branch: mr.branch, head_commit: mr.head_commit, reason },
  });
}
