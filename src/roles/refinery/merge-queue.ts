// The merge queue: one row per branch the Witness accepted (`merge_requests`), owned by the
// Refinery. States: queued → merging → merged | rework | failed | pr_open; `superseded` when a newer
// head of the same bead is queued first. Every change writes its ledger event in the same transaction.
import type { MergeQueue, MergeRequestInput } from '../witness/witness-queue.js';
import { prepared } from '../../beads/sqlite/statements.js';
import type { Db } from '../../db/open.js';
import { writeTx } from '../../db/open.js';
import { invalidInput, notFound } from '../../errors.js';
import { getRig } from '../../town/index.js';
import type { TownServices } from '../../town/services.js';
import { polecatNamePattern } from '../polecat/polecat-names.js';
import type { MergeRequest, MergeRequestState, RawMergeRequest } from './index.js';
import { getMergeRequest, insertMergeRequest, moveMergeRequest, parseMergeRequest } from './index.js';

export type { MergeRequest, MergeRequestState } from './index.js';
export { getMergeRequest, mergeRequestStates } from './index.js';

const commitPattern = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
/** States a new enqueue of the same bead and head puts back in the queue. */
const retryable: readonly MergeRequestState[] = ['rework', 'failed', 'superseded'];

export function listMergeRequests(db: Db, rig?: string): MergeRequest[] {
  const raws =
    rig === undefined
      ? prepared<[], RawMergeRequest>(db, 'SELECT * FROM merge_requests ORDER BY id').all()
      : prepared<[string], RawMergeRequest>(db, 'SELECT * FROM merge_requests WHERE rig = ? ORDER BY id').all(
          rig,
        );
  return raws.map(parseMergeRequest);
}

/**
 * Queues a polecat's branch for the Refinery. Idempotent: the same bead and head commit give the
 * same row (a row that ended in rework or failure is queued again). Older queued heads of the bead
 * are superseded, so a stale head never lands after a newer one was accepted.
 */
export function enqueueMergeRequest(
  town: TownServices,
  input: MergeRequestInput,
  actor: string,
): MergeRequest {
  if (!commitPattern.test(input.headCommit))
    throw invalidInput(`head commit: not a full sha: ${input.headCommit}`);
  if (!polecatNamePattern.test(input.polecat))
    throw invalidInput(`polecat: not a polecat name: ${input.polecat}`);
  if (input.branch.trim() === '' || input.branch.startsWith('-'))
    throw invalidInput(`branch: ${input.branch}`);
  const { db } = town;
  return writeTx(db, () => {
    if (!getRig(db, input.rig)) throw notFound('rig', input.rig);
    const raw = prepared<[string, string], RawMergeRequest>(
      db,
      'SELECT * FROM merge_requests WHERE bead_id = ? AND head_commit = ?',
    ).get(input.beadId, input.headCommit);
    const existing = raw === undefined ? undefined : parseMergeRequest(raw);
    if (existing && !retryable.includes(existing.state)) return existing;
    const stale = prepared<[string, number], RawMergeRequest>(
      db,
      `SELECT * FROM merge_requests WHERE bead_id = ? AND state = 'queued' AND id <> ?`,
    )
      .all(input.beadId, existing?.id ?? 0)
      .map(parseMergeRequest);
    for (const old of stale) {
      moveMergeRequest(town, old.id, {
        from: 'queued',
        to: 'superseded',
        attempts: old.attempts,
        event: {
          kind: 'merge.superseded',
          actor,
          bead_id: old.bead_id,
          payload: { mr: old.id, head_commit: old.head_commit, by_head: input.headCommit },
        },
      });
    }
    const queued = (id: number, requeued: boolean) => ({
      kind: 'merge.queued',
      actor,
      bead_id: input.beadId,
      payload: {
        mr: id,
        rig: input.rig,
        polecat: input.polecat,
        branch: input.branch,
        head_commit: input.headCommit,
        requeued,
      },
    });
    let id: number;
    if (existing) {
      id = existing.id;
      moveMergeRequest(town, id, {
        from: existing.state,
        to: 'queued',
        set: {
          rig: input.rig,
          polecat: input.polecat,
          branch: input.branch,
          merged_commit: null,
          pr_url: null,
          detail: null,
        },
        event: queued(id, true),
      });
    } else {
      id = insertMergeRequest(town, input, (made) => queued(made, false));
    }
    return getMergeRequest(db, id)!;
  });
}

export type { MergeRequestInput };

/** The Refinery's queue in the town database, as the Witness sees it. */
export function refineryMergeQueue(town: TownServices): MergeQueue {
  return { enqueue: (request, actor) => enqueueMergeRequest(town, request, actor) };
}
