// The polecat's lifecycle, owned here: its states, the moves between them, the row types (one per
// state) and the one function that changes a polecat's state. An idle polecat holds nothing; a
// working, review or stopped one holds a bead, its branch and its worktree. Every move is a
// conditional UPDATE on the state it was read in, so a concurrent mover loses cleanly; a move the
// table does not list throws `illegal_transition`. The moves are recorded by the ledger event of
// the change they belong to (the hook, the session's start or end, the Witness's or Refinery's
// verdict), which the caller appends in the same transaction.
import { prepared } from '../../beads/sqlite/statements.js';
import type { Db } from '../../db/open.js';
import { writeTx } from '../../db/open.js';
import { notFound } from '../../errors.js';
import type { Absent, TransitionTable } from '../transitions.js';
import { absent, checkMove, impossibleRow } from '../transitions.js';

export const polecatStates = ['idle', 'working', 'review', 'stopped'] as const;
export type PolecatState = (typeof polecatStates)[number];

/** Where a polecat may go from each state, and the ledger events that record the move. */
/** What hands a held bead back (the polecat stops, its work kept on its branch). */
const stops = [
  'bead.updated',
  'session.ended',
  'deacon.session_expired',
  'deacon.released',
  'witness.rework',
  'witness.escalated',
  'witness.stopped',
  'witness.redispatched',
  'merge.rework',
  'merge.pr_closed',
  'merge.pr_changes_requested',
] as const;

export const polecatTransitions: TransitionTable<PolecatState> = {
  [absent]: { working: ['bead.hooked', 'session.started'] },
  idle: { working: ['bead.hooked', 'session.started'] },
  working: {
    // A session starts (or a handoff's next one) on the bead the sling hooked.
    working: ['session.started'],
    review: ['polecat.done'],
    stopped: stops,
    // The sling failed before the worktree existed (nothing to keep), or the work merged.
    idle: ['bead.updated', 'merge.merged'],
  },
  review: {
    review: ['polecat.done'],
    working: ['session.started'],
    stopped: stops,
    idle: ['merge.merged'],
  },
  stopped: {
    working: ['bead.hooked', 'session.started'],
    review: ['polecat.done'],
    idle: ['merge.merged'],
  },
};

interface PolecatBase {
  rig: string;
  name: string;
  updated_at: string;
}

export type IdlePolecat = PolecatBase & {
  state: 'idle';
  bead_id: null;
  branch: null;
  worktree: null;
  session_id: null;
};

/** A polecat that holds a bead: its branch and worktree, and its session once one started. */
export type HoldingPolecat<S extends Exclude<PolecatState, 'idle'>> = PolecatBase & {
  state: S;
  bead_id: string;
  branch: string;
  worktree: string;
  session_id: string | null;
};

export type WorkingPolecat = HoldingPolecat<'working'>;
export type ReviewPolecat = HoldingPolecat<'review'>;
export type StoppedPolecat = HoldingPolecat<'stopped'>;
export type PolecatRow = IdlePolecat | WorkingPolecat | ReviewPolecat | StoppedPolecat;

/** The row as SQLite returns it. */
export interface RawPolecatRow {
  rig: string;
  name: string;
  state: string;
  bead_id: string | null;
  branch: string | null;
  worktree: string | null;
  session_id: string | null;
  updated_at: string;
}

function isPolecatState(value: string): value is PolecatState {
  return (polecatStates as readonly string[]).includes(value);
}

/** The typed row for its state; throws on an unknown state or fields the state cannot have. */
export function parsePolecat(raw: RawPolecatRow): PolecatRow {
  const id = `${raw.rig}/${raw.name}`;
  const base = { rig: raw.rig, name: raw.name, updated_at: raw.updated_at };
  if (!isPolecatState(raw.state)) throw impossibleRow('polecat', id, `unknown state ${raw.state}`);
  if (raw.state === 'idle') {
    if (raw.bead_id !== null || raw.branch !== null || raw.worktree !== null || raw.session_id !== null)
      throw impossibleRow('polecat', id, 'idle but holds a bead, branch, worktree or session');
    return { ...base, state: 'idle', bead_id: null, branch: null, worktree: null, session_id: null };
  }
  if (raw.bead_id === null || raw.branch === null || raw.worktree === null)
    throw impossibleRow('polecat', id, `${raw.state} without a bead, branch or worktree`);
  return {
    ...base,
    state: raw.state,
    bead_id: raw.bead_id,
    branch: raw.branch,
    worktree: raw.worktree,
    session_id: raw.session_id,
  };
}

export interface PolecatKey {
  rig: string;
  name: string;
}

/** What a move sets: `working` names the bead it holds; the other states keep or clear it. */
export type PolecatMove =
  | { to: 'working'; bead_id: string; branch: string; worktree: string; session_id: string | null }
  | { to: 'review' }
  | { to: 'stopped' }
  | { to: 'idle' };

/** Conditions under which the caller wants the move; a row that fails them is left alone. */
export interface PolecatGuard {
  /** Only from these states (`absent`: no row yet), as a loop or a sling saw it earlier. */
  from?: readonly (PolecatState | Absent)[];
  /** Only while the polecat still holds this bead. */
  beadId?: string;
  /** The ledger event that records the move; checked against the table. */
  recordedBy?: string;
}

export function getPolecat(db: Db, key: PolecatKey): PolecatRow | undefined {
  const raw = prepared<[string, string], RawPolecatRow>(
    db,
    'SELECT * FROM polecats WHERE rig = ? AND name = ?',
  ).get(key.rig, key.name);
  return raw === undefined ? undefined : parsePolecat(raw);
}

/**
 * Moves the polecat; true when it moved, false when the guard did not hold or a concurrent mover
 * changed the row first. Throws `illegal_transition` for a move the table does not list, and
 * `not_found` when a move other than to `working` names no polecat.
 */
export function movePolecat(db: Db, key: PolecatKey, move: PolecatMove, guard: PolecatGuard = {}): boolean {
  return writeTx(db, () => {
    const row = getPolecat(db, key);
    const from: PolecatState | Absent = row?.state ?? absent;
    if (row === undefined && move.to !== 'working') throw notFound('polecat', `${key.rig}/${key.name}`);
    if (guard.from !== undefined && !guard.from.includes(from)) return false;
    if (guard.beadId !== undefined && row?.bead_id !== guard.beadId) return false;
    checkMove(polecatTransitions, 'polecat', `${key.rig}/${key.name}`, from, move.to, guard.recordedBy);
    return applyPolecatMove(db, key, row, move);
  });
}

/** The conditional write of a checked move: changes nothing when the row is no longer as read. */
export function applyPolecatMove(
  db: Db,
  key: PolecatKey,
  seen: PolecatRow | undefined,
  move: PolecatMove,
  now = new Date(),
): boolean {
  const at = now.toISOString();
  if (seen === undefined) {
    if (move.to !== 'working') return false;
    return (
      prepared(
        db,
        `INSERT INTO polecats (rig, name, state, bead_id, branch, worktree, session_id, updated_at)
         VALUES (?, ?, 'working', ?, ?, ?, ?, ?) ON CONFLICT (rig, name) DO NOTHING`,
      ).run(key.rig, key.name, move.bead_id, move.branch, move.worktree, move.session_id, at).changes === 1
    );
  }
  const where = 'WHERE rig = ? AND name = ? AND state = ? AND bead_id IS ?';
  const keyArgs = [key.rig, key.name, seen.state, seen.bead_id] as const;
  switch (move.to) {
    case 'working':
      return (
        prepared(
          db,
          `UPDATE polecats SET state = 'working', bead_id = ?, branch = ?, worktree = ?, session_id = ?,
             updated_at = ? ${where}`,
        ).run(move.bead_id, move.branch, move.worktree, move.session_id, at, ...keyArgs).changes === 1
      );
    case 'idle':
      return (
        prepared(
          db,
          `UPDATE polecats SET state = 'idle', bead_id = NULL, branch = NULL, worktree = NULL,
             session_id = NULL, updated_at = ? ${where}`,
        ).run(at, ...keyArgs).changes === 1
      );
    case 'review':
    case 'stopped':
      return (
        prepared(db, `UPDATE polecats SET state = ?, updated_at = ? ${where}`).run(move.to, at, ...keyArgs)
          .changes === 1
      );
  }
}

export function listPolecats(db: Db, rig?: string): PolecatRow[] {
  const raws =
    rig === undefined
      ? prepared<[], RawPolecatRow>(db, 'SELECT * FROM polecats ORDER BY rig, name').all()
      : prepared<[string], RawPolecatRow>(db, 'SELECT * FROM polecats WHERE rig = ? ORDER BY name').all(rig);
  return raws.map(parsePolecat);
}

export function polecatByWorktree(db: Db, worktree: string): PolecatRow | undefined {
  const raw = prepared<[string], RawPolecatRow>(db, 'SELECT * FROM polecats WHERE worktree = ?').get(
    worktree,
  );
  return raw === undefined ? undefined : parsePolecat(raw);
}
