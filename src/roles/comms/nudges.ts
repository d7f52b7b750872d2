// Nudges and handoffs wait in the `nudges` table until the process running the polecat's session
// (a foreground `gt sling` or the daemon) delivers them into the live session. Queuing a row and its
// ledger event (`polecat.nudged`, `polecat.handoff`) is one transaction, and so is marking it
// delivered (`nudge.delivered`), so the ledger says exactly what reached which session.
import { z } from 'zod';
import type { Db } from '../../db/open.js';
import { writeTx } from '../../db/open.js';
import { ErrorCode, GasTownError } from '../../errors.js';
import type { TownServices } from '../../town/services.js';

export const nudgeKinds = ['nudge', 'handoff'] as const;
export type NudgeKind = (typeof nudgeKinds)[number];

const nudgeRowSchema = z.object({
  id: z.number().int(),
  created_at: z.string(),
  rig: z.string(),
  polecat: z.string(),
  session_id: z.string().nullable(),
  from_actor: z.string(),
  kind: z.enum(nudgeKinds),
  text: z.string(),
  delivered_at: z.string().nullable(),
});
export type NudgeRow = z.output<typeof nudgeRowSchema>;

export type NudgeTown = Pick<TownServices, 'db' | 'ledger'>;

export interface NudgeInput {
  rig: string;
  polecat: string;
  /** The live session it is meant for. */
  sessionId: string;
  beadId?: string;
  from: string;
  kind: NudgeKind;
  text: string;
}

const queuedKind: Record<NudgeKind, string> = { nudge: 'polecat.nudged', handoff: 'polecat.handoff' };

/** Queues a nudge or a handoff for a session; joins the caller's transaction when there is one. */
export function queueNudge(town: NudgeTown, input: NudgeInput): NudgeRow {
  return writeTx(town.db, () => {
    const id = Number(
      town.db
        .prepare(
          `INSERT INTO nudges (created_at, rig, polecat, session_id, from_actor, kind, text)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          new Date().toISOString(),
          input.rig,
          input.polecat,
          input.sessionId,
          input.from,
          input.kind,
          input.text,
        ).lastInsertRowid,
    );
    town.ledger.append({
      kind: queuedKind[input.kind],
      actor: input.from,
      ...(input.beadId === undefined ? {} : { bead_id: input.beadId }),
      session_id: input.sessionId,
      payload: { id, polecat: `${input.rig}/polecats/${input.polecat}`, kind: input.kind, text: input.text },
    });
    return requireNudge(town.db, id);
  });
}

/** Undelivered rows for a session (or addressed to no session in particular), oldest first. */
export function pendingNudges(db: Db, rig: string, polecat: string, sessionId: string): NudgeRow[] {
  return db
    .prepare(
      `SELECT * FROM nudges WHERE rig = ? AND polecat = ? AND delivered_at IS NULL
         AND (session_id IS NULL OR session_id = ?) ORDER BY id`,
    )
    .all(rig, polecat, sessionId)
    .map((row) => nudgeRowSchema.parse(row));
}

/**
 * Marks a row delivered into `sessionId` with `nudge.delivered`. False when it was already
 * delivered (nothing is recorded twice).
 */
export function markNudgeDelivered(
  town: NudgeTown,
  row: NudgeRow,
  delivery: { sessionId: string; actor: string; beadId: string },
): boolean {
  return writeTx(town.db, () => {
    const changed = town.db
      .prepare('UPDATE nudges SET delivered_at = ?, session_id = ? WHERE id = ? AND delivered_at IS NULL')
      .run(new Date().toISOString(), delivery.sessionId, row.id).changes;
    if (changed === 0) return false;
    town.ledger.append({
      kind: 'nudge.delivered',
      actor: delivery.actor,
      bead_id: delivery.beadId,
      session_id: delivery.sessionId,
      payload: { id: row.id, kind: row.kind, from: row.from_actor, text: row.text },
    });
    return true;
  });
}

export interface LiveSession {
  id: string;
  bead_id: string;
  pid: number | null;
}

/**
 * The polecat's running session, when the process that runs it is still alive (a session row a
 * killed process left `running` is no one to deliver to; the Deacon ends it later).
 */
export function liveSession(db: Db, rig: string, polecat: string): LiveSession | undefined {
  const row = db
    .prepare<[string, string], LiveSession>(
      `SELECT s.id, s.bead_id, s.pid FROM polecats p JOIN sessions s ON s.id = p.session_id
       WHERE p.rig = ? AND p.name = ? AND s.state = 'running'`,
    )
    .get(rig, polecat);
  if (!row) return undefined;
  return row.pid === null || processAlive(row.pid) ? row : undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function getNudge(db: Db, id: number): NudgeRow | undefined {
  const row: unknown = db.prepare('SELECT * FROM nudges WHERE id = ?').get(id);
  return row === undefined ? undefined : nudgeRowSchema.parse(row);
}

function requireNudge(db: Db, id: number): NudgeRow {
  const row = getNudge(db, id);
  if (!row) throw new GasTownError(ErrorCode.internal, `nudge #${id} vanished right after it was queued`);
  return row;
}
