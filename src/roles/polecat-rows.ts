// The rows that say what polecats and their sessions are doing (`polecats`, `sessions`), each change
// paired with its ledger event in one transaction.
import type { Db } from '../db/open.js';
import { prepared } from '../beads/sqlite/statements.js';
import { writeTx } from '../db/open.js';
import type { TownServices } from '../town/services.js';

export const polecatStates = ['idle', 'working', 'review', 'stopped'] as const;
export type PolecatState = (typeof polecatStates)[number];

export interface PolecatRow {
  rig: string;
  name: string;
  state: PolecatState;
  bead_id: string | null;
  branch: string | null;
  worktree: string | null;
  session_id: string | null;
  updated_at: string;
}

export interface SessionStartRow {
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

export function upsertPolecat(db: Db, row: Omit<PolecatRow, 'updated_at'>): void {
  prepared(
    db,
    `INSERT INTO polecats (rig, name, state, bead_id, branch, worktree, session_id, updated_at)
     VALUES (:rig, :name, :state, :bead_id, :branch, :worktree, :session_id, :now)
     ON CONFLICT (rig, name) DO UPDATE SET state = :state, bead_id = :bead_id, branch = :branch,
       worktree = :worktree, session_id = :session_id, updated_at = :now`,
  ).run({ ...row, now: new Date().toISOString() });
}

export function startSessionRow(town: TownServices, row: SessionStartRow): void {
  const now = new Date().toISOString();
  writeTx(town.db, () => {
    town.db
      .prepare(
        `INSERT INTO sessions (id, rig, polecat, bead_id, runtime, state, pid, pgid, started_at, heartbeat_at)
         VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)`,
      )
      .run(row.sessionId, row.rig, row.polecat, row.beadId, row.runtime, process.pid, process.pid, now, now);
    upsertPolecat(town.db, {
      rig: row.rig,
      name: row.polecat,
      state: 'working',
      bead_id: row.beadId,
      branch: row.branch,
      worktree: row.worktree,
      session_id: row.sessionId,
    });
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

export function touchSession(db: Db, sessionId: string): void {
  prepared(db, 'UPDATE sessions SET heartbeat_at = ? WHERE id = ?').run(new Date().toISOString(), sessionId);
}

export interface SessionEnd {
  sessionId: string;
  span: string;
  actor: string;
  beadId: string;
  outcome: string;
  summary: string;
  commit: string | undefined;
  toolCalls: number;
  durationMs: number;
}

export function endSession(town: TownServices, end: SessionEnd): void {
  const now = new Date().toISOString();
  writeTx(town.db, () => {
    town.db
      .prepare(
        `UPDATE sessions SET state = 'ended', ended_at = ?, outcome = ?, heartbeat_at = ? WHERE id = ?`,
      )
      .run(now, end.outcome, now, end.sessionId);
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
      },
    });
  });
}

export function setPolecatState(db: Db, rig: string, name: string, state: PolecatState): void {
  prepared(db, 'UPDATE polecats SET state = ?, updated_at = ? WHERE rig = ? AND name = ?').run(
    state,
    new Date().toISOString(),
    rig,
    name,
  );
}

export function listPolecats(db: Db, rig?: string): PolecatRow[] {
  return rig === undefined
    ? db.prepare<[], PolecatRow>('SELECT * FROM polecats ORDER BY rig, name').all()
    : db.prepare<[string], PolecatRow>('SELECT * FROM polecats WHERE rig = ? ORDER BY name').all(rig);
}

export function polecatByWorktree(db: Db, worktree: string): PolecatRow | undefined {
  return db.prepare<[string], PolecatRow>('SELECT * FROM polecats WHERE worktree = ?').get(worktree);
}
