// How a watched pull request ends, written like the Refinery's own endings (refinery-outcomes.ts):
// idempotent side effects first (bead, labels, worktree and branch), then the request's final
// state with its ledger event in one transaction, fenced on `pr_open`. Merged: the bead closes
// with GitHub's merge commit, in that same transaction. Closed unmerged: the bead is blocked with the reason and an
// escalation. Changes requested: a rework round for the polecat, or an escalation past max_rework.
import type { PullReview } from '../../github/pulls.js';
import { raiseEscalation } from '../comms/escalations.js';
import type { MergeRequest } from './merge-queue.js';
import { reviewLabel, reworkLabel } from '../polecat/polecat-done.js';
import { reviewComment } from './pr-lifecycle.js';
import type { RefineryContext } from './refinery-context.js';
import { closeAndEnd, endRequest, removePolecatWork } from './refinery-outcomes.js';
import { escalatedLabel } from '../witness/witness-actions.js';

export async function finishPrMerged(
  ctx: RefineryContext,
  mr: MergeRequest,
  number: number,
  commit: string,
  how: string,
): Promise<void> {
  const cleanup = await removePolecatWork(ctx, mr);
  await closeAndEnd(ctx, mr, `merged in ${commit} (pull request #${number}, ${how})`, {
    from: 'pr_open',
    state: 'merged',
    kind: 'merge.merged',
    detail: `pull request #${number} ${how}: ${commit}`,
    mergedCommit: commit,
    ...(cleanup.kept === undefined ? { polecat: 'idle' as const } : {}),
    payload: {
      commit,
      branch: mr.branch,
      target: ctx.rig.branch,
      mode: 'pr',
      pr: number,
      how,
      already_on_target: false,
      ...cleanup,
    },
  });
}

export async function finishPrClosed(
  ctx: RefineryContext,
  mr: MergeRequest,
  number: number,
  url: string,
): Promise<void> {
  const reason = `pull request #${number} was closed without merging (${url})`;
  await blockBead(ctx, mr, `Refinery: ${reason}. Nothing was merged; the work is still on ${mr.branch}.`);
  raiseEscalation(
    ctx.town,
    {
      key: `pr.closed:${mr.bead_id}`,
      kind: 'pr_closed',
      rig: ctx.rig.name,
      beadId: mr.bead_id,
      summary: reason,
    },
    ctx.actor,
  );
  endRequest(ctx, mr, {
    from: 'pr_open',
    state: 'failed',
    kind: 'merge.pr_closed',
    detail: reason,
    mergedCommit: null,
    polecat: 'stopped',
    payload: { pr: number, url, branch: mr.branch, reason },
  });
}

/** A rework round with the reviewers' words, or an escalation once `maxRework` rounds were spent. */
export async function reworkPr(
  ctx: RefineryContext,
  mr: MergeRequest,
  number: number,
  url: string,
  reviews: readonly PullReview[],
  maxRework: number,
): Promise<'rework' | 'escalated'> {
  const comment = reviewComment(number, url, reviews);
  const rounds = ctx.town.db
    .prepare<[string], { n: number }>(
      `SELECT count(*) AS n FROM ledger WHERE bead_id = ? AND kind = 'merge.pr_changes_requested'`,
    )
    .get(mr.bead_id)!.n;
  const payload = {
    pr: number,
    url,
    round: rounds + 1,
    reviewers: reviews.map((r) => r.user?.login ?? '?'),
    comments: reviews.map((r) => r.body ?? ''),
  };
  if (rounds >= maxRework) {
    const summary = `changes requested on pull request #${number} again, past max_rework (${maxRework})`;
    await blockBead(
      ctx,
      mr,
      `${comment}\n\nThe rework limit (${maxRework}) is reached, so the Overseer decides.`,
    );
    raiseEscalation(
      ctx.town,
      {
        key: `pr.rework:${mr.bead_id}`,
        kind: 'rework_limit',
        rig: ctx.rig.name,
        beadId: mr.bead_id,
        summary,
      },
      ctx.actor,
    );
    endRequest(ctx, mr, {
      from: 'pr_open',
      state: 'failed',
      kind: 'merge.pr_changes_requested',
      detail: summary,
      mergedCommit: null,
      polecat: 'stopped',
      payload: { ...payload, escalated: true },
    });
    return 'escalated';
  }
  const { beads } = ctx.town;
  const who = { actor: ctx.actor };
  await beads.addComment(mr.bead_id, comment, who);
  const bead = await beads.require(mr.bead_id);
  if (bead.status !== 'closed' && (bead.status !== 'open' || bead.assignee !== null))
    await beads.update(mr.bead_id, { status: 'open', assignee: null }, who);
  await beads.removeLabel(mr.bead_id, reviewLabel, who);
  await beads.addLabel(mr.bead_id, reworkLabel, who);
  endRequest(ctx, mr, {
    from: 'pr_open',
    state: 'rework',
    kind: 'merge.pr_changes_requested',
    detail: comment,
    mergedCommit: null,
    polecat: 'stopped',
    payload: { ...payload, escalated: false },
  });
  return 'rework';
}

async function blockBead(ctx: RefineryContext, mr: MergeRequest, comment: string): Promise<void> {
  const { beads } = ctx.town;
  const who = { actor: ctx.actor };
  await beads.addComment(mr.bead_id, comment, who);
  const bead = await beads.require(mr.bead_id);
  if (bead.status !== 'closed' && bead.status !== 'blocked')
    await beads.update(mr.bead_id, { status: 'blocked', assignee: null }, who);
  await beads.removeLabel(mr.bead_id, reviewLabel, who);
  await beads.addLabel(mr.bead_id, escalatedLabel, who);
}
