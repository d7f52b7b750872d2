// The merge request's lifecycle, owned here: queued → merging (a Refinery holds it; `attempts` is
// the holder's fencing token) → merged | rework | failed | pr_open, a held one given back to the
// queue, a pull request's end, a stale head superseded, and a finished-but-not-merged one queued
// again. `moveMergeRequest` is the one way a request changes state: it checks the table, writes
// with a conditional UPDATE on the state (and token) it was read in, and appends the move's ledger
// event in the same transaction.
import { prepared } from '../../beads/sqlite/statements.js';
import type { Db } from '../../db/open.js';
import { writeTx } from '../../db/open.js';
import { notFound } from '../../errors.js';
import type { LedgerEventInput } from '../../ledger/index.js';
import type { TownServices } from '../../town/services.js';
import type { TransitionTable } from '../transitions.js';
import { absent, checkMove, impossibleRow } from '../transitions.js';

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

export const mergeRequestTransitions: TransitionTable<MergeRequestState> = {
  [absent]: { queued: ['merge.queued'] },
  queued: { merging: ['merge.started'], superseded: ['merge.superseded'] },
  // merging → merging: a holder whose lease ran out is replaced (the token grows).
  merging: {
    merging: ['merge.started'],
    queued: ['merge.requeued'],
    merged: ['merge.merged'],
    rework: ['merge.rework'],
    failed: ['merge.failed'],
    pr_open: ['merge.pr_opened'],
  },
  pr_open: {
    merged: ['merge.merged'],
    rework: ['merge.pr_changes_requested'],
    failed: ['merge.pr_closed', 'merge.pr_changes_requested'],
  },
  merged: {},
  // The same head accepted again: back in the queue.
  rework: { queued: ['merge.queued'] },
  failed: { queued: ['merge.queued'] },
  superseded: { queued: ['merge.queued'] },
};

interface MergeRequestBase {
  id: number;
  rig: string;
  bead_id: string;
  polecat: string;
  branch: string;
  head_commit: string;
  /** How many times a Refinery took it (also the fencing token of the current holder). */
  attempts: number;
  /** The rebased commit that passed the check (kept across a give-back), then the merged commit. */
  merged_commit: string | null;
  pr_url: string | null;
  /** What happened last, in words: conflicting files, the check's output tail, the failure. */
  detail: string | null;
  created_at: string;
  updated_at: string;
}

type In<S extends MergeRequestState> = MergeRequestBase & { state: S };
export type QueuedRequest = In<'queued'>;
export type MergingRequest = In<'merging'>;
export type MergedRequest = In<'merged'> & { merged_commit: string };
export type PrOpenRequest = In<'pr_open'> & { pr_url: string };
export type ReworkRequest = In<'rework'> & { detail: string };
export type FailedRequest = In<'failed'> & { detail: string };
export type SupersededRequest = In<'superseded'>;
export type MergeRequest =
  | QueuedRequest
  | MergingRequest
  | MergedRequest
  | PrOpenRequest
  | ReworkRequest
  | FailedRequest
  | SupersededRequest;

export type RawMergeRequest = MergeRequestBase & { state: string };

function isState(value: string): value is MergeRequestState {
  return (mergeRequestStates as readonly string[]).includes(value);
}

/** The typed row for its state; throws on an unknown state or a field its state requires missing. */
export function parseMergeRequest(raw: RawMergeRequest): MergeRequest {
  const id = String(raw.id);
  const { state } = raw;
  if (!isState(state)) throw impossibleRow('merge request', id, `unknown state ${state}`);
  switch (state) {
    case 'merged':
      if (raw.merged_commit === null) throw impossibleRow('merge request', id, 'merged without a commit');
      return { ...raw, state, merged_commit: raw.merged_commit };
    case 'pr_open':
      if (raw.pr_url === null) throw impossibleRow('merge request', id, 'pr_open without a pull request');
      return { ...raw, state, pr_url: raw.pr_url };
    case 'rework':
    case 'failed':
      if (raw.detail === null) throw impossibleRow('merge request', id, `${state} without a reason`);
      return { ...raw, state, detail: raw.detail };
    default:
      return { ...raw, state };
  }
}

export function getMergeRequest(db: Db, id: number): MergeRequest | undefined {
  const raw = prepared<[number], RawMergeRequest>(db, 'SELECT * FROM merge_requests WHERE id = ?').get(id);
  return raw === undefined ? undefined : parseMergeRequest(raw);
}

/** The fields a move may set besides the state; absent ones keep their value. */
export interface MergeRequestFields {
  detail?: string | null;
  merged_commit?: string | null;
  pr_url?: string | null;
  rig?: string;
  polecat?: string;
  branch?: string;
}

export interface MergeRequestMove {
  to: MergeRequestState;
  /** The state the mover saw; the write happens only if the row is still in it. */
  from: MergeRequestState;
  /** The holder's token: the write happens only if nobody took the request since. */
  attempts?: number;
  set?: MergeRequestFields;
  /** Taking it (→ merging) counts an attempt. */
  countAttempt?: boolean;
  /** The event that records the move; its kind must be one the table names for it. */
  event: LedgerEventInput;
  now?: Date;
}

/**
 * Moves the request and appends its event; false (and nothing written) when the row is no longer
 * in `from` or the token changed — a concurrent mover won. Throws `illegal_transition` for a move
 * the table does not list.
 */
export function moveMergeRequest(
  town: Pick<TownServices, 'db' | 'ledger'>,
  id: number,
  move: MergeRequestMove,
): boolean {
  const { db } = town;
  checkMove(mergeRequestTransitions, 'merge request', String(id), move.from, move.to, move.event.kind);
  return writeTx(db, () => {
    const row = getMergeRequest(db, id);
    if (row === undefined) throw notFound('merge request', String(id));
    if (row.state !== move.from || (move.attempts !== undefined && row.attempts !== move.attempts))
      return false;
    const set = move.set ?? {};
    const columns = (['detail', 'merged_commit', 'pr_url', 'rig', 'polecat', 'branch'] as const).filter(
      (c) => set[c] !== undefined,
    );
    const sql = `UPDATE merge_requests SET state = ?, updated_at = ?${move.countAttempt ? ', attempts = attempts + 1' : ''}${columns
      .map((c) => `, ${c} = ?`)
      .join('')} WHERE id = ? AND state = ? AND attempts = ?`;
    const values = columns.map((c) => set[c] ?? null);
    const changed = prepared(db, sql).run(
      move.to,
      (move.now ?? new Date()).toISOString(),
      ...values,
      id,
      row.state,
      row.attempts,
    ).changes;
    if (changed !== 1) return false;
    town.ledger.append(move.event);
    return true;
  });
}

/** A new request, `queued`, with its `merge.queued` event; returns its id. */
export function insertMergeRequest(
  town: Pick<TownServices, 'db' | 'ledger'>,
  input: { rig: string; beadId: string; polecat: string; branch: string; headCommit: string },
  event: (id: number) => LedgerEventInput,
  now = new Date(),
): number {
  return writeTx(town.db, () => {
    const made = event(0);
    checkMove(
      mergeRequestTransitions,
      'merge request',
      `${input.beadId}@${input.headCommit}`,
      absent,
      'queued',
      made.kind,
    );
    const at = now.toISOString();
    const id = Number(
      prepared(
        town.db,
        `INSERT INTO merge_requests (rig, bead_id, polecat, branch, head_commit, state, attempts, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?)`,
      ).run(input.rig, input.beadId, input.polecat, input.branch, input.headCommit, at, at).lastInsertRowid,
    );
    town.ledger.append(event(id));
    return id;
  });
}

/**
 * Ends every Refinery's lease on what it holds (not a state change: the requests stay `merging`
 * and the next take retakes them, bumping the token). For a daemon starting after a dead one.
 */
export function expireMergingLeases(db: Db): number {
  return prepared(
    db,
    `UPDATE merge_requests SET updated_at = '1970-01-01T00:00:00.000Z' WHERE state = 'merging'`,
  ).run().changes;
}
