// Escalations to the Overseer, shared by the Witness and the Deacon. One open row per key: raising a
// key that is already open (or acknowledged) folds into that row and bumps its count, so a problem
// that recurs every patrol is one line with a number, never a flood. Each change and its ledger
// event commit in one transaction.
import { z } from 'zod';
import type { Db } from '../../db/open.js';
import { writeTx } from '../../db/open.js';
import { ErrorCode, GasTownError, notFound } from '../../errors.js';
import type { Ledger } from '../../ledger/index.js';

export const escalationStates = ['open', 'acked', 'closed'] as const;
export type EscalationState = (typeof escalationStates)[number];

const escalationRowSchema = z.object({
  id: z.number().int(),
  key: z.string(),
  kind: z.string(),
  rig: z.string().nullable(),
  bead_id: z.string().nullable(),
  summary: z.string(),
  count: z.number().int(),
  state: z.enum(escalationStates),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Escalation = z.output<typeof escalationRowSchema>;

export interface EscalationInput {
  /** What makes two escalations the same problem, e.g. `witness.rework:<bead>`. */
  key: string;
  /** A short class, e.g. `rework_limit`, `stall_limit`, `budget`. */
  kind: string;
  rig?: string;
  beadId?: string;
  summary: string;
}

/** What escalations need of the town: its database and ledger. */
export interface EscalationTown {
  db: Db;
  ledger: Ledger;
}

export interface RaisedEscalation extends Escalation {
  /** True when it folded into an escalation that was already open. */
  folded: boolean;
}

/** Raises an escalation, or folds it into the open one with the same key (count + 1, newest summary). */
export function raiseEscalation(
  town: EscalationTown,
  input: EscalationInput,
  actor: string,
): RaisedEscalation {
  return writeTx(town.db, () => {
    const now = new Date().toISOString();
    const open = town.db
      .prepare<[string], { id: number }>(`SELECT id FROM escalations WHERE key = ? AND state <> 'closed'`)
      .get(input.key);
    let id: number;
    if (open) {
      town.db
        .prepare('UPDATE escalations SET count = count + 1, summary = ?, updated_at = ? WHERE id = ?')
        .run(input.summary, now, open.id);
      id = open.id;
    } else {
      id = Number(
        town.db
          .prepare(
            `INSERT INTO escalations (key, kind, rig, bead_id, summary, count, state, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, 1, 'open', ?, ?)`,
          )
          .run(input.key, input.kind, input.rig ?? null, input.beadId ?? null, input.summary, now, now)
          .lastInsertRowid,
      );
    }
    const row = requireEscalation(town.db, id);
    town.ledger.append({
      kind: 'escalation.raised',
      actor,
      ...(input.beadId === undefined ? {} : { bead_id: input.beadId }),
      payload: {
        id,
        key: row.key,
        reason: row.kind,
        rig: row.rig,
        summary: row.summary,
        count: row.count,
        folded: open !== undefined,
      },
    });
    return { ...row, folded: open !== undefined };
  });
}

/** Escalations not yet closed (open and acknowledged), or every one with `all`; oldest first. */
export function listEscalations(db: Db, options: { all?: boolean } = {}): Escalation[] {
  const where = options.all ? '' : `WHERE state <> 'closed'`;
  return db
    .prepare(`SELECT * FROM escalations ${where} ORDER BY id`)
    .all()
    .map((row) => escalationRowSchema.parse(row));
}

export function getEscalation(db: Db, id: number): Escalation | undefined {
  const row: unknown = db.prepare('SELECT * FROM escalations WHERE id = ?').get(id);
  return row === undefined ? undefined : escalationRowSchema.parse(row);
}

/** The Overseer has seen it: still listed, no longer new. Acknowledging twice is harmless. */
export function ackEscalation(town: EscalationTown, id: number, actor: string): Escalation {
  return transition(town, id, 'acked', actor);
}

/** Resolved: it leaves the list, and the same key raised again starts a new escalation. */
export function closeEscalation(town: EscalationTown, id: number, actor: string): Escalation {
  return transition(town, id, 'closed', actor);
}

function transition(town: EscalationTown, id: number, to: 'acked' | 'closed', actor: string): Escalation {
  return writeTx(town.db, () => {
    const row = requireEscalation(town.db, id);
    if (row.state === 'closed') {
      throw new GasTownError(ErrorCode.conflict, `escalation #${id} is already closed`, {
        ids: { escalation: String(id) },
      });
    }
    if (row.state === to) return row;
    town.db
      .prepare('UPDATE escalations SET state = ?, updated_at = ? WHERE id = ?')
      .run(to, new Date().toISOString(), id);
    town.ledger.append({
      kind: to === 'acked' ? 'escalation.acked' : 'escalation.closed',
      actor,
      ...(row.bead_id === null ? {} : { bead_id: row.bead_id }),
      payload: { id, key: row.key, reason: row.kind, count: row.count },
    });
    return requireEscalation(town.db, id);
  });
}

function requireEscalation(db: Db, id: number): Escalation {
  const row = getEscalation(db, id);
  if (!row) throw notFound('escalation', String(id));
  return row;
}
