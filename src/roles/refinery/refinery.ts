// The Refinery (one per rig): a deterministic loop that lands accepted work one merge request at a
// time. Each `tick()` takes at most one request (queued → merging), makes the target current,
// finishes it as merged if its work is already there (crash recovery), else rebases it in a scratch
// worktree, runs the rig's check in the sandbox, and lands it only if the check passed — so the
// target never holds a commit whose check failed. Conflicts and failing checks go back to the
// polecat as rework; a push refused twice, or an infrastructure error, fails the request.
import { writeTx } from '../../db/open.js';
import { isTransientGitError, retryTransientGit } from '../../git/transient.js';
import type { TownServices } from '../../town/services.js';
import type { MergeRequest } from './merge-queue.js';
import { getMergeRequest } from './merge-queue.js';
import {
  defaultLeaseMs,
  holdsLease,
  leaseLost,
  releaseMergeRequest,
  renewLease,
  takeNextMergeRequest,
} from './merge-queue-lease.js';
import { buildCandidate, dropScratch } from './refinery-candidate.js';
import type { Candidate } from './refinery-candidate.js';
import type { RefineryContext } from './refinery-context.js';
import { loadRefineryContext } from './refinery-context.js';
import { land } from './refinery-land.js';
import { endRequest, finishMerged, markFailed, sendToRework } from './refinery-outcomes.js';
import { findLanded, prepareTarget } from './refinery-target.js';
import { reworkComment, reworkPayload } from './refinery-rework.js';
import { prepared } from '../../beads/sqlite/statements.js';

export {
  enqueueMergeRequest,
  listMergeRequests,
  getMergeRequest,
  mergeRequestStates,
} from './merge-queue.js';
export type { MergeRequest, MergeRequestInput, MergeRequestState } from './merge-queue.js';

/** What one tick did: nothing to do, or how the request it took ended. */
export type RefineryOutcome = 'idle' | 'merged' | 'rework' | 'failed' | 'pr_open' | 'requeued';

export interface RefineryOptions {
  town: TownServices;
  root: string;
  rig: string;
  /** Default `<rig>/refinery`. */
  actor?: string;
  /** Where GITHUB_TOKEN comes from (default process.env). */
  env?: Record<string, string | undefined>;
  /** A `merging` request untouched this long belongs to a dead Refinery and is taken again. */
  leaseMs?: number;
  checkTimeoutMs?: number;
  /** Tries and first pause for a transient git error (see src/git/transient.ts). */
  gitRetry?: { attempts: number; baseMs: number };
}

/** A request given back this many times (each take one attempt) fails instead of looping. */
const maxTakes = 5;

/** A push refused this many times (re-fetching, rebasing and checking again in between) fails. */
const landRounds = 2;

export class Refinery {
  private busy = false;
  private last: MergeRequest | undefined;

  constructor(private readonly opts: RefineryOptions) {}

  get actor(): string {
    return this.opts.actor ?? `${this.opts.rig}/refinery`;
  }

  /** The request the last tick worked on, as it ended. */
  get lastRequest(): MergeRequest | undefined {
    return this.last;
  }

  async tick(): Promise<RefineryOutcome> {
    if (this.busy) return 'idle';
    // An empty queue needs no rig files read (an idle daemon ticks every second).
    const pending = prepared(
      this.opts.town.db,
      `SELECT count(*) FROM merge_requests WHERE rig = ? AND state IN ('queued', 'merging')`,
    )
      .pluck()
      .get(this.opts.rig) as number;
    if (pending === 0) return 'idle';
    this.busy = true;
    try {
      const leaseMs = this.opts.leaseMs ?? defaultLeaseMs;
      // Read the rig first: a broken rig.yaml fails the tick without taking (and stranding) a request.
      const ctx = await loadRefineryContext({
        town: this.opts.town,
        root: this.opts.root,
        rig: this.opts.rig,
        actor: this.actor,
        env: this.opts.env ?? process.env,
        checkTimeoutMs: this.opts.checkTimeoutMs ?? Math.floor(leaseMs * 0.8),
      });
      const mr = takeNextMergeRequest(this.opts.town, this.opts.rig, this.actor, leaseMs);
      this.last = mr;
      if (!mr) return 'idle';
      try {
        return await this.processOrRelease(ctx, mr);
      } finally {
        await dropScratch(ctx, mr).catch(() => undefined);
        this.last = getMergeRequest(this.opts.town.db, mr.id);
      }
    } finally {
      this.busy = false;
    }
  }

  /**
   * A transient git error (another git process mid-write) is retried from the top; one that
   * outlasts the retries, or any error once landing began, gives the request back at once (queued,
   * or failed after `maxTakes` takes) instead of leaving it `merging` until its lease runs out.
   */
  private async processOrRelease(ctx: RefineryContext, mr: MergeRequest): Promise<RefineryOutcome> {
    try {
      return await retryTransientGit(() => this.process(ctx, mr), {
        ...this.opts.gitRetry,
        onRetry: (error, attempt) =>
          ctx.town.ledger.append({
            kind: 'merge.git_retry',
            actor: ctx.actor,
            bead_id: mr.bead_id,
            payload: { mr: mr.id, attempt, error: error instanceof Error ? error.message : String(error) },
          }),
      });
    } catch (error) {
      if (!holdsLease(ctx.town.db, mr)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      // Failing says "the target is unchanged": only true when no checked candidate may have landed.
      if (mr.attempts >= maxTakes && mr.merged_commit === null) {
        await markFailed(ctx, mr, `gave up after ${mr.attempts} attempts: ${reason}`);
        return 'failed';
      }
      releaseMergeRequest(ctx.town, mr, ctx.actor, reason);
      return 'requeued';
    }
  }

  private async process(ctx: RefineryContext, mr: MergeRequest): Promise<RefineryOutcome> {
    let landing = false;
    let refusal = '';
    try {
      for (let round = 1; round <= landRounds; round++) {
        const target = await prepareTarget(ctx);
        renewLease(ctx.town.db, mr);
        const landed = await findLanded(ctx, mr, target);
        if (landed) {
          landing = true;
          await finishMerged(ctx, mr, landed, true);
          return 'merged';
        }
        const candidate: Candidate = await buildCandidate(ctx, mr, target.base);
        if (candidate.kind !== 'ready') {
          await sendToRework(ctx, mr, reworkComment(ctx, mr, candidate), reworkPayload(candidate));
          return 'rework';
        }
        this.recordChecked(ctx, mr, candidate);
        // In `pr` mode nothing lands on the target here: any error may fail the request.
        landing = ctx.config.merge_mode !== 'pr';
        const result = await land(ctx, mr, candidate.commit);
        if (result.kind === 'merged') {
          await finishMerged(ctx, mr, result.commit, false);
          return 'merged';
        }
        if (result.kind === 'pr_open') {
          this.recordPr(ctx, mr, result);
          return 'pr_open';
        }
        landing = false;
        refusal = result.message;
        ctx.town.ledger.append({
          kind: 'merge.push_rejected',
          actor: ctx.actor,
          bead_id: mr.bead_id,
          payload: { mr: mr.id, round, commit: candidate.commit, message: result.message },
        });
      }
      await markFailed(ctx, mr, `the remote refused the push ${landRounds} times: ${refusal}`);
      return 'failed';
    } catch (error) {
      // Once landing began the target may hold the work: never guess; a later take finds out.
      if (landing || isTransientGitError(error) || !holdsLease(ctx.town.db, mr)) throw error;
      await markFailed(ctx, mr, error instanceof Error ? error.message : String(error));
      return 'failed';
    }
  }

  /** The candidate passed its check: recorded before it lands, so a crash can recognise it. */
  private recordChecked(
    ctx: RefineryContext,
    mr: MergeRequest,
    candidate: Extract<Candidate, { kind: 'ready' }>,
  ): void {
    writeTx(ctx.town.db, () => {
      renewLease(ctx.town.db, mr, candidate.commit);
      ctx.town.ledger.append({
        kind: 'merge.checked',
        actor: ctx.actor,
        bead_id: mr.bead_id,
        payload: {
          mr: mr.id,
          commit: candidate.commit,
          onto: candidate.onto,
          check: candidate.check?.command ?? null,
          exit_code: candidate.check?.exitCode ?? null,
          ...(candidate.reused
            ? {
                reused: {
                  from: 'witness.verified',
                  seq: candidate.reused.witnessSeq,
                  tree: candidate.reused.tree,
                },
              }
            : {}),
        },
      });
    });
    mr.merged_commit = candidate.commit;
  }

  private recordPr(
    ctx: RefineryContext,
    mr: MergeRequest,
    pr: { commit: string; url: string; number: number; existed: boolean },
  ): void {
    if (!holdsLease(ctx.town.db, mr)) throw leaseLost(mr.id);
    endRequest(ctx, mr, {
      state: 'pr_open',
      kind: 'merge.pr_opened',
      detail: `pull request #${pr.number}: ${pr.url}`,
      mergedCommit: pr.commit,
      prUrl: pr.url,
      payload: {
        url: pr.url,
        number: pr.number,
        existed: pr.existed,
        branch: mr.branch,
        commit: pr.commit,
        base: ctx.rig.branch,
      },
    });
  }
}
