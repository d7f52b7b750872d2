// The merge queue: one row per branch the Witness accepted (`merge_requests`), owned by the
// Refinery. States: queued → merging → merged | rework | failed | pr_open; `superseded` when a newer
// head of the same bead is queued first. Every change writes its ledger event in the same transaction.
import type { Db } from '../db/open.js';
import { writeTx } from '../db/open.js';
import { invalidInput, notFound } from '../errors.js';
import { getRig } from '../town/index.js';
import type { TownServices } from '../town/services.js';
import { polecatNamePattern } from './polecat-names.js';

export const mergeRequestStates = [
  'queued',
  'merging',
  'merged',
  'rework',
  'failed',
  'pr_open',
  'superseded',
] as const;
export type MergeRequestState = (typeof mergeRequestStates)[number];

export interface MergeRequest {
  id: number;
  rig: string;
  bead_id: string;
  polecat: string;
  branch: string;
  head_commit: string;
  state: MergeRequestState;
  /** How many times a Refinery took it (also the fencing token of the current holder). */
  attempts: number;
  /** The rebased commit that passed the check (set before it lands), then the merged commit. */
  merged_commit: string | null;
  pr_url: string | null;
  /** What happened last, in words: conflicting files, the check's output tail, the failure. */
  detail: string | null;
  created_at: string;
  updated_at: string;
}

export interface MergeRequestInput {
  rig: string;
  beadId: string;
  polecat: string;
  branch: string;
  headCommit: string;
}

const commitPattern = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
/** States a new enqueue of the same bead and head puts back in the queue. */
const retryable: readonly MergeRequestState[] = ['rework', 'failed', 'superseded'];

export function getMergeRequest(db: Db, id: number): MergeRequest | undefined {
  return db.prepare<[number], MergeRequest>('SELECT * FROM merge_requests WHERE id = ?').get(id);
}

export function listMergeRequests(db: Db, rig?: string): MergeRequest[] {
  return rig === undefined
    ? db.prepare<[], MergeRequest>('SELECT * FROM merge_requests ORDER BY id').all()
    : db.prepare<[string], MergeRequest>('SELECT * FROM merge_requests WHERE rig = ? ORDER BY id').all(rig);
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
  const { db, ledger } = town;
  return writeTx(db, () => {
    if (!getRig(db, input.rig)) throw notFound('rig', input.rig);
    const now = new Date().toISOString();
    const existing = db
      .prepare<[string, string], MergeRequest>(
        'SELECT * FROM merge_requests WHERE bead_id = ? AND head_commit = ?',
      )
      .get(input.beadId, input.headCommit);
    if (existing && !retryable.includes(existing.state)) return existing;
    const stale = db
      .prepare<[string, number], MergeRequest>(
        `SELECT * FROM merge_requests WHERE bead_id = ? AND state = 'queued' AND id <> ?`,
      )
      .all(input.beadId, existing?.id ?? 0);
    for (const old of stale) {
      db.prepare(`UPDATE merge_requests SET state = 'superseded', updated_at = ? WHERE id = ?`).run(
        now,
        old.id,
      );
      ledger.append({
        kind: 'merge.superseded',
        actor,
        bead_id: old.bead_id,
        payload: { mr: old.id, head_commit: old.head_commit, by_head: input.headCommit },
      });
    }
    let id: number;
    if (existing) {
      db.prepare(
        `UPDATE merge_requests SET state = 'queued', rig = ?, polecat = ?, branch = ?, merged_commit = NULL,
           pr_url = NULL, detail = NULL, updated_at = ? WHERE id = ?`,
      ).run(input.rig, input.polecat, input.branch, now, existing.id);
      id = existing.id;
    } else {
      const inserted = db
        .prepare(
          `INSERT INTO merge_requests (rig, bead_id, polecat, branch, head_commit, state, attempts, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?)`,
        )
        .run(input.rig, input.beadId, input.polecat, input.branch, input.headCommit, now, now);
      id = Number(inserted.lastInsertRowid);
    }
    ledger.append({
      kind: 'merge.queued',
      actor,
      bead_id: input.beadId,
      payload: {
        mr: id,
        rig: input.rig,
        polecat: input.polecat,
        branch: input.branch,
        head_commit: input.headCommit,
        requeued: existing !== undefined,
      },
    });
    return getMergeRequest(db, id)!;
  });
}
