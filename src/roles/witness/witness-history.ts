// The Witness keeps no memory of its own: what it decided before is read back from the ledger, where
// each decision was written in the same transaction as the state change it made. So a Witness that
// restarts (or a second one after a crash) counts reworks, re-dispatches and nudges exactly.
import { z } from 'zod';
import type { Db } from '../../db/open.js';

export const WitnessEvent = {
  verified: 'witness.verified',
  rework: 'witness.rework',
  escalated: 'witness.escalated',
  nudged: 'witness.nudged',
  stopped: 'witness.stopped',
  redispatched: 'witness.redispatched',
} as const;
export type WitnessEvent = (typeof WitnessEvent)[keyof typeof WitnessEvent];

const verdictPayload = z.object({ head: z.string().nullable().optional(), session: z.string().nullable() });
const nudgePayload = z.object({ at: z.string() });

export interface LastVerdict {
  kind: WitnessEvent;
  head: string | undefined;
  session: string | null;
}

/** The Witness's latest verdict on a bead (verified, rework or escalated), if any. */
export function lastVerdict(db: Db, beadId: string): LastVerdict | undefined {
  const row = db
    .prepare<[string, string, string, string], { kind: WitnessEvent; payload: string }>(
      `SELECT kind, payload FROM ledger WHERE bead_id = ? AND kind IN (?, ?, ?) ORDER BY seq DESC LIMIT 1`,
    )
    .get(beadId, WitnessEvent.verified, WitnessEvent.rework, WitnessEvent.escalated);
  if (!row) return undefined;
  const payload = verdictPayload.parse(JSON.parse(row.payload));
  return { kind: row.kind, head: payload.head ?? undefined, session: payload.session };
}

/** How many times the Witness has written `kind` for a bead (reworks, re-dispatches). */
export function countEvents(db: Db, beadId: string, kind: WitnessEvent): number {
  return (
    db
      .prepare<[string, string], { n: number }>(
        'SELECT count(*) AS n FROM ledger WHERE bead_id = ? AND kind = ?',
      )
      .get(beadId, kind)?.n ?? 0
  );
}

/** When the Witness last nudged a session (by its own clock), if it did. */
export function lastNudgeAt(db: Db, sessionId: string): Date | undefined {
  const row = db
    .prepare<[string, string], { payload: string }>(
      'SELECT payload FROM ledger WHERE session_id = ? AND kind = ? ORDER BY seq DESC LIMIT 1',
    )
    .get(sessionId, WitnessEvent.nudged);
  return row ? new Date(nudgePayload.parse(JSON.parse(row.payload)).at) : undefined;
}
