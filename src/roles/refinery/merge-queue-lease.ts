// Taking merge requests off the queue, one at a time per rig. Taking is one conditional UPDATE
// inside a BEGIN IMMEDIATE transaction, so two Refineries never hold the same request, and no
// second merge starts while one is held. A holder renews its lease as it goes; a `merging` row
// whose lease ran out (its Refinery died) is taken again, with `attempts` as the fencing token.
import type { Db } from '../../db/open.js';
import { writeTx } from '../../db/open.js';
import { ErrorCode, GasTownError } from '../../errors.js';
import { prepared } from '../../beads/sqlite/statements.js';
import type { TownServices } from '../../town/services.js';
import type { MergeRequest, RawMergeRequest } from './index.js';
import { getMergeRequest, moveMergeRequest, parseMergeRequest } from './index.js';

export const defaultLeaseMs = 15 * 60 * 1000;

/** The next request of the rig, now `merging` and ours; undefined when there is none or one is held. */
export function takeNextMergeRequest(
  town: TownServices,
  rig: string,
  actor: string,
  leaseMs: number,
  now = new Date(),
): MergeRequest | undefined {
  const { db } = town;
  return writeTx(db, () => {
    const cutoff = new Date(now.getTime() - leaseMs).toISOString();
    const pick = (state: 'merging' | 'queued', order: string) => {
      const raw = prepared<[string, string], RawMergeRequest>(
        db,
        `SELECT * FROM merge_requests WHERE rig = ? AND state = ? ORDER BY ${order} LIMIT 1`,
      ).get(rig, state);
      return raw === undefined ? undefined : parseMergeRequest(raw);
    };
    const held = pick('merging', 'updated_at');
    if (held && held.updated_at >= cutoff) return undefined;
    const next = held ?? pick('queued', 'id');
    if (!next) return undefined;
    const taken = moveMergeRequest(town, next.id, {
      from: next.state,
      to: 'merging',
      attempts: next.attempts,
      countAttempt: true,
      now,
      event: {
        kind: 'merge.started',
        actor,
        bead_id: next.bead_id,
        payload: {
          mr: next.id,
          attempt: next.attempts + 1,
          retaken: next.state === 'merging',
          branch: next.branch,
          head_commit: next.head_commit,
        },
      },
    });
    if (!taken) return undefined;
    return getMergeRequest(db, next.id);
  });
}

/** Whether `mr` (as taken) is still ours: merging, and nobody took it again since. */
export function holdsLease(db: Db, mr: Pick<MergeRequest, 'id' | 'attempts'>): boolean {
  const row = getMergeRequest(db, mr.id);
  return row !== undefined && row.state === 'merging' && row.attempts === mr.attempts;
}

/** Renews the lease (and optionally records the candidate commit); throws when it was lost. */
export function renewLease(db: Db, mr: Pick<MergeRequest, 'id' | 'attempts'>, candidate?: string): void {
  const result = db
    .prepare(
      `UPDATE merge_requests SET updated_at = ?, merged_commit = coalesce(?, merged_commit)
        WHERE id = ? AND state = 'merging' AND attempts = ?`,
    )
    .run(new Date().toISOString(), candidate ?? null, mr.id, mr.attempts);
  if (result.changes !== 1) throw leaseLost(mr.id);
}

export function leaseLost(id: number): GasTownError {
  return new GasTownError(ErrorCode.conflict, `merge request ${id} was taken by another refinery`, {
    ids: { mr: String(id) },
  });
}

/**
 * Gives a held request back at once (merging → queued) instead of leaving it to its lease: after
 * a git error that outlasted its retries. Fenced like every write; the next take starts with the
 * crash-recovery check, so work that did land is found rather than merged twice.
 */
export function releaseMergeRequest(
  town: Pick<TownServices, 'db' | 'ledger'>,
  mr: Pick<MergeRequest, 'id' | 'attempts' | 'bead_id'>,
  actor: string,
  reason: string,
): boolean {
  return moveMergeRequest(town, mr.id, {
    from: 'merging',
    to: 'queued',
    attempts: mr.attempts,
    set: { detail: reason },
    event: {
      kind: 'merge.requeued',
      actor,
      bead_id: mr.bead_id,
      payload: { mr: mr.id, attempt: mr.attempts, reason },
    },
  });
}
