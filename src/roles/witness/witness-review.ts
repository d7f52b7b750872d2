// The Witness's review of one polecat that says "done" (state `review`): verify the claim, then
// queue the merge request (pass) or hand the bead back for rework with the failure output (fail),
// at most `max_rework` times before the Overseer is asked instead. A branch already verified at the
// same head in the same session is left alone, so a patrol can run any number of times.
import { Status } from '../../beads/index.js';
import { writeTx } from '../../db/open.js';
import { ErrorCode, GasTownError } from '../../errors.js';
import { rigPaths } from '../../town/index.js';
import type { PatrolContext, WitnessAction } from './witness-actions.js';
import { escalatedLabel, handBack, reworkLabel } from './witness-actions.js';
import { reviewLabel } from '../polecat/polecat-done.js';
import type { PolecatRow } from '../polecat/index.js';
import { WitnessEvent, countEvents, lastVerdict } from './witness-history.js';
import { branchHeadQuick, verifyDone } from './witness-verify.js';

export async function reviewPolecat(ctx: PatrolContext, polecat: PolecatRow): Promise<WitnessAction[]> {
  const { town, rig } = ctx;
  if (polecat.state === 'idle') return [];
  const bead = await town.beads.get(polecat.bead_id);
  if (!bead || bead.status === Status.closed || bead.status === Status.tombstone) return [];
  // Verified and in the Refinery's hands: it may already have removed the branch it is landing.
  if (mergeInFlight(ctx, bead.id, polecat.name)) return [];
  const repo = rigPaths(ctx.root, rig.name).repo;
  const last = lastVerdict(town.db, bead.id);
  if (
    last?.kind === WitnessEvent.verified &&
    last.session === polecat.session_id &&
    last.head === (await branchHeadQuick(repo, polecat.branch))
  ) {
    return [];
  }
  const base = { polecat: polecat.name, beadId: bead.id };
  if (rig.check_command !== null && !ctx.runner.ok) {
    return [{ type: 'error', ...base, message: `cannot run the check: ${ctx.runner.reason}` }];
  }
  const verdict = await verifyDone({
    repo,
    townRoot: ctx.root,
    target: rig.branch,
    branch: polecat.branch,
    worktree: polecat.worktree,
    labels: bead.labels,
    checkCommand: rig.check_command,
    runner: ctx.runner.ok ? ctx.runner.runner : undefined,
    checkTimeoutMs: ctx.checkTimeoutMs,
  });
  if (verdict.ok) {
    if (bead.labels.includes(reworkLabel))
      await town.beads.removeLabel(bead.id, reworkLabel, { actor: ctx.actor });
    const request = {
      rig: rig.name,
      beadId: bead.id,
      polecat: polecat.name,
      branch: polecat.branch,
      headCommit: verdict.head,
    };
    writeTx(town.db, () => {
      if (ctx.queue.enqueue(request, ctx.actor) instanceof Promise) {
        throw new GasTownError(ErrorCode.internal, 'MergeQueue.enqueue must be synchronous');
      }
      town.ledger.append({
        kind: WitnessEvent.verified,
        actor: ctx.actor,
        bead_id: bead.id,
        ...(polecat.session_id === null ? {} : { session_id: polecat.session_id }),
        payload: {
          polecat: polecat.name,
          session: polecat.session_id,
          branch: polecat.branch,
          head: verdict.head,
          commits_ahead: verdict.commitsAhead,
          checked: verdict.checked,
          // What the Refinery needs to reuse this check for the same tree (refinery-reuse.ts).
          ...(verdict.checked
            ? {
                check: rig.check_command,
                sandbox: ctx.runner.ok ? ctx.runner.runner.mode : null,
                clean: verdict.clean,
              }
            : {}),
        },
      });
    });
    return [
      {
        type: 'verified',
        ...base,
        head: verdict.head,
        commitsAhead: verdict.commitsAhead,
        checked: verdict.checked,
      },
    ];
  }
  // The Refinery may have landed it while we looked (the bead closes with its merge recorded).
  const now = await town.beads.get(bead.id);
  if (now?.status === Status.closed || mergeInFlight(ctx, bead.id, polecat.name)) return [];
  const reworks = countEvents(town.db, bead.id, WitnessEvent.rework);
  const details = verdict.detail === '' ? '' : `\n\n${verdict.detail}`;
  const payload = { reason: verdict.reason, head: verdict.head ?? null, branch: polecat.branch };
  if (reworks >= ctx.settings.max_rework) {
    const summary = `${bead.id} failed verification ${reworks + 1} time(s), last: ${verdict.reason}`;
    const raised = await handBack(ctx, {
      polecat,
      beadId: bead.id,
      comment: `Witness: ${verdict.reason}. The rework limit (${ctx.settings.max_rework}) is reached, so the Overseer decides what happens next.${details}`,
      status: 'blocked',
      addLabel: escalatedLabel,
      removeLabels: [reviewLabel, reworkLabel],
      events: [{ kind: WitnessEvent.escalated, payload: { ...payload, limit: 'max_rework' } }],
      escalation: {
        key: `witness.rework:${bead.id}`,
        kind: 'rework_limit',
        rig: rig.name,
        beadId: bead.id,
        summary,
      },
    });
    return [
      {
        type: 'escalated',
        ...base,
        reason: verdict.reason,
        escalationId: raised?.id ?? 0,
        count: raised?.count ?? 0,
      },
    ];
  }
  const round = reworks + 1;
  await handBack(ctx, {
    polecat,
    beadId: bead.id,
    comment: `Witness: rework ${round} of ${ctx.settings.max_rework}: ${verdict.reason}.${details}`,
    status: 'open',
    addLabel: reworkLabel,
    removeLabels: [reviewLabel],
    events: [{ kind: WitnessEvent.rework, payload: { ...payload, round } }],
  });
  return [{ type: 'rework', ...base, reason: verdict.reason, round }];
}

/** True while the polecat's verified work is queued, being merged, or open as a pull request. */
function mergeInFlight(ctx: PatrolContext, beadId: string, polecat: string): boolean {
  return (
    ctx.town.db
      .prepare<[string, string], number>(
        `SELECT 1 FROM merge_requests WHERE bead_id = ? AND polecat = ?
          AND state IN ('queued', 'merging', 'pr_open') LIMIT 1`,
      )
      .pluck()
      .get(beadId, polecat) !== undefined
  );
}
