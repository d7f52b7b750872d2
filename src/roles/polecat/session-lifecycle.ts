// The agent session's lifecycle, owned here: a session is `running` from its start (its process
// and heartbeat) until it is `ended` with an outcome, by itself, by the Deacon when its process died,
// or by the Witness when it stalled. Ended is final. Starting and ending write the row, the
// polecat's move and the ledger event in one transaction; every end is a conditional UPDATE on
// `running`, so of two enders exactly one wins.
import { prepared } from '../../beads/sqlite/statements.js';
import type { Db } from '../../db/open.js';
import { writeTx } from '../../db/open.js';
import { notFound } from '../../errors.js';
import type { TownServices } from '../../town/services.js';
import type { Absent, TransitionTable } from '../transitions.js';
import { absent, checkMove, impossibleRow } from '../transitions.js';
import { movePolecat } from './lifecycle.js';

export const sessionStates = ['running', 'ended'] as const;
export type SessionState = (typeof sessionStates)[number];

/** `handoff`: stopped so a new session continues the bead; the bead stays hooked on the polecat. */
export const sessionOutcomes = [
  'success',
  'failure',
  'budget_exceeded',
  'handoff',
  'crashed',
  'stalled',
] as const;
export type SessionEndOutcome = (typeof sessionOutcomes)[number];

export const sessionTransitions: TransitionTable<SessionState> = {
  [absent]: { running: ['session.started'] },
  running: {
    ended: [
      'session.ended',
      'deacon.session_expired',
      'witness.stopped',
      'witness.escalated',
      'witness.redispatched',
    ],
  },
  ended: {},
};

interface SessionBase {
  id: string;
  rig: string;
  polecat: string;
  bead_id: string;
  runtime: string;
  /** The process group of the session's steps; the Deacon reaps it if it outlives the session. */
  pgid: number | null;
  tool_calls: number;
  started_at: string;
  heartbeat_at: string;
  agent_ref: string | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export type RunningSession = SessionBase & {
  state: 'running';
  pid: number | null;
  ended_at: null;
  outcome: null;
};
export type EndedSession = SessionBase & {
  state: 'ended';
  pid: number | null;
  ended_at: string;
  outcome: SessionEndOutcome;
};
export type SessionRow = RunningSession | EndedSession;

export type RawSessionRow = Omit<SessionBase, never> & {
  state: string;
  pid: number | null;
  ended_at: string | null;
  outcome: string | null;
};

function isOutcome(value: string): value is SessionEndOutcome {
  return (sessionOutcomes as readonly string[]).includes(value);
}

/** The typed row for its state; throws on an unknown state or outcome, or fields the state cannot have. */
export function parseSession(raw: RawSessionRow): SessionRow {
  const { state, ended_at, outcome, ...rest } = raw;
  if (state === 'running') {
    if (ended_at !== null || outcome !== null)
      throw impossibleRow('session', raw.id, 'running but has an end time or an outcome');
    return { ...rest, state, ended_at: null, outcome: null };
  }
  if (state !== 'ended') throw impossibleRow('session', raw.id, `unknown state ${state}`);
  if (ended_at === null || outcome === null)
    throw impossibleRow('session', raw.id, 'ended without an end time or an outcome');
  if (!isOutcome(outcome)) throw impossibleRow('session', raw.id, `unknown outcome ${outcome}`);
  return { ...rest, state, ended_at, outcome };
}

export function getSession(db: Db, id: string): SessionRow | undefined {
  const raw = prepared<[string], RawSessionRow>(db, 'SELECT * FROM sessions WHERE id = ?').get(id);
  return raw === undefined ? undefined : parseSession(raw);
}

export function runningSessions(db: Db): RunningSession[] {
  return prepared<[], RawSessionRow>(
    db,
    `SELECT * FROM sessions WHERE state = 'running' ORDER BY started_at, id`,
  )
    .all()
    .map(parseSession)
    .filter((s): s is RunningSession => s.state === 'running');
}

export interface SessionEndMove {
  outcome: SessionEndOutcome;
  /** The ledger event that records the end, appended by the caller in the same transaction. */
  recordedBy: string;
  at?: Date;
  /** Only if it still runs: false instead of `illegal_transition` when another ender came first. */
  ifRunning?: boolean;
}

/** Ends the session; true when this call ended it. */
export function endSessionRow(db: Db, id: string, move: SessionEndMove): boolean {
  return writeTx(db, () => {
    const row = getSession(db, id);
    if (row === undefined) throw notFound('session', id);
    if (move.ifRunning && row.state !== 'running') return false;
    const from: SessionState | Absent = row.state;
    checkMove(sessionTransitions, 'session', id, from, 'ended', move.recordedBy);
    const at = (move.at ?? new Date()).toISOString();
    return (
      prepared(
        db,
        `UPDATE sessions SET state = 'ended', outcome = ?, ended_at = ?, heartbeat_at = ?
          WHERE id = ? AND state = 'running'`,
      ).run(move.outcome, at, at, id).changes === 1
    );
  });
}

export interface SessionStart {
  sessionId: string;
  span: string;
  rig: string;
  polecat: string;
  beadId: string;
  runtime: string;
  worktree: string;
  branch: string;
  /** The agent's own conversation this session continues, if any. */
  resume?: string;
  /** The context rigs the session reads, at which head (recorded so a trace shows what it saw). */
  contextRigs?: { name: string; branch: string; head: string; note?: string }[];
}

/** The session row, its polecat working on the bead, and `session.started`, in one transaction. */
export function startSession(town: TownServices, row: SessionStart): void {
  const now = new Date().toISOString();
  writeTx(town.db, () => {
    const from: SessionState | Absent = getSession(town.db, row.sessionId)?.state ?? absent;
    checkMove(sessionTransitions, 'session', row.sessionId, from, 'running', 'session.started');
    prepared(
      town.db,
      `INSERT INTO sessions (id, rig, polecat, bead_id, runtime, state, pid, pgid, started_at, heartbeat_at)
       VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)`,
    ).run(row.sessionId, row.rig, row.polecat, row.beadId, row.runtime, process.pid, process.pid, now, now);
    movePolecat(
      town.db,
      { rig: row.rig, name: row.polecat },
      {
        to: 'working',
        bead_id: row.beadId,
        branch: row.branch,
        worktree: row.worktree,
        session_id: row.sessionId,
      },
      { recordedBy: 'session.started' },
    );
    town.ledger.append({
      kind: 'session.started',
      actor: `${row.rig}/polecats/${row.polecat}`,
      bead_id: row.beadId,
      session_id: row.sessionId,
      span_id: row.span,
      payload: {
        agent: row.runtime,
        runtime: row.runtime,
        polecat: row.polecat,
        rig: row.rig,
        branch: row.branch,
        worktree: row.worktree,
        ...(row.resume === undefined ? {} : { resume: row.resume }),
        ...(row.contextRigs === undefined || row.contextRigs.length === 0
          ? {}
          : { context_rigs: row.contextRigs }),
      },
    });
  });
}

export interface SessionEnd {
  sessionId: string;
  span: string;
  actor: string;
  beadId: string;
  outcome: SessionEndOutcome;
  summary: string;
  commit: string | undefined;
  toolCalls: number;
  durationMs: number;
}

/**
 * The session's own end: the row and `session.ended` in one transaction. When the Witness or the
 * Deacon ended the row first (a stall, an expiry), the row keeps their outcome; the event still
 * closes the session's span and says so.
 */
export function endSession(town: TownServices, end: SessionEnd): boolean {
  return writeTx(town.db, () => {
    const moved = endSessionRow(town.db, end.sessionId, {
      outcome: end.outcome,
      recordedBy: 'session.ended',
      ifRunning: true,
    });
    const row = moved ? undefined : getSession(town.db, end.sessionId);
    town.ledger.append({
      kind: 'session.ended',
      actor: end.actor,
      bead_id: end.beadId,
      session_id: end.sessionId,
      span_id: end.span,
      payload: {
        outcome: end.outcome,
        summary: end.summary,
        commit: end.commit ?? null,
        tool_calls: end.toolCalls,
        duration_ms: end.durationMs,
        ...(row?.state === 'ended' ? { already_ended: row.outcome } : {}),
      },
    });
    return moved;
  });
}

/** The agent's own conversation id (for --resume); not a state change. */
export function recordAgentRef(db: Db, sessionId: string, ref: string): void {
  prepared(db, 'UPDATE sessions SET agent_ref = ? WHERE id = ?').run(ref, sessionId);
}

/** A sign of life; not a state change. */
export function touchSession(db: Db, sessionId: string): void {
  prepared(db, 'UPDATE sessions SET heartbeat_at = ? WHERE id = ?').run(new Date().toISOString(), sessionId);
}
