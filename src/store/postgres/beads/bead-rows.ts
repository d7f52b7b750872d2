// Row-level helpers of the PostgreSQL bead store: reading a bead's row (optionally locked), writing
// columns, the refusal a lost claim gets, and the change stamp.
import { ErrorCode, GasTownError, notFound } from '../../../errors.js';
import type { Bead } from '../../../beads/model.js';
import { Status } from '../../../beads/model.js';
import type { ChangeContext } from '../../../beads/store.js';
import type { BeadRow } from '../../../beads/sqlite/rows.js';
import type { SqlRunner, SqlValue } from '../../sql.js';
import { loadBead } from './hydrate.js';

export const finished = (status: string): boolean => status === Status.closed || status === Status.tombstone;

/** The bead's row; `lock` holds it until commit, so a read-modify-write loses no concurrent change. */
export async function beadRow(sql: SqlRunner, id: string, lock = false): Promise<BeadRow> {
  const row = await sql.get<BeadRow>(`SELECT * FROM beads WHERE id = ?${lock ? ' FOR UPDATE' : ''}`, [id]);
  if (!row) throw notFound('bead', id);
  return row;
}

export async function loadedBead(sql: SqlRunner, id: string): Promise<Bead> {
  const bead = await loadBead(sql, id);
  if (!bead) throw notFound('bead', id);
  return bead;
}

export async function setColumns(
  sql: SqlRunner,
  id: string,
  values: Record<string, SqlValue>,
): Promise<void> {
  const columns = Object.keys(values);
  await sql.run(`UPDATE beads SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [
    ...columns.map((c) => values[c]!),
    id,
  ]);
}

export async function touchBead(sql: SqlRunner, id: string, ctx: ChangeContext): Promise<void> {
  await sql.run('UPDATE beads SET updated_at = ? WHERE id = ?', [stamp(ctx), id]);
}

export async function claimRefusal(sql: SqlRunner, id: string, claimant: string): Promise<GasTownError> {
  const row = await beadRow(sql, id);
  if (row.assignee && row.assignee !== claimant && !finished(row.status)) {
    return new GasTownError(ErrorCode.alreadyClaimed, `bead ${id} is already claimed by ${row.assignee}`, {
      ids: { bead: id, claimant: row.assignee },
    });
  }
  return conflict(`bead ${id} cannot be claimed: it is ${row.status}, not open`, id);
}

export function stamp(ctx: ChangeContext): string {
  return (ctx.now ?? new Date()).toISOString();
}

export function conflict(message: string, id: string): GasTownError {
  return new GasTownError(ErrorCode.conflict, message, { ids: { bead: id } });
}
