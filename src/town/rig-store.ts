// The `rigs` table: one row per rig, keyed by name, with a town-unique bead prefix. Rows are
// validated as they leave SQLite, so callers get typed values without casts.
import { z } from 'zod';
import type { Db } from '../db/open.js';
import { writeTx } from '../db/open.js';
import { ErrorCode, GasTownError } from '../errors.js';

const rigRowSchema = z.object({
  name: z.string(),
  prefix: z.string(),
  git_url: z.string(),
  branch: z.string(),
  check_command: z.string().nullable(),
  created_at: z.string(),
});
export type RigRow = z.output<typeof rigRowSchema>;

const columns = 'name, prefix, git_url, branch, check_command, created_at';

export function listRigs(db: Db): RigRow[] {
  return db
    .prepare(`SELECT ${columns} FROM rigs ORDER BY name`)
    .all()
    .map((row) => rigRowSchema.parse(row));
}

export function getRig(db: Db, name: string): RigRow | undefined {
  const row: unknown = db.prepare(`SELECT ${columns} FROM rigs WHERE name = ?`).get(name);
  return row === undefined ? undefined : rigRowSchema.parse(row);
}

/** Prefix → rig name, for every rig. */
export function prefixesInUse(db: Db): Map<string, string> {
  return new Map(listRigs(db).map((rig) => [rig.prefix, rig.name]));
}

/** Records a rig change in the ledger, inside the change's own transaction. */
export type RigJournal = (kind: 'rig.added' | 'rig.removed', payload: Record<string, unknown>) => void;

/** Inserts a rig, re-checking name and prefix inside the write transaction. */
export function insertRig(db: Db, row: RigRow, journal?: RigJournal): void {
  writeTx(db, () => {
    if (getRig(db, row.name) !== undefined) throw duplicateRig(row.name);
    const holder = prefixesInUse(db).get(row.prefix);
    if (holder !== undefined) {
      throw new GasTownError(
        ErrorCode.conflict,
        `prefix "${row.prefix}" is already used by rig "${holder}"`,
        {
          ids: { prefix: row.prefix, rig: holder },
        },
      );
    }
    db.prepare(
      `INSERT INTO rigs (${columns}) VALUES (@name, @prefix, @git_url, @branch, @check_command, @created_at)`,
    ).run(row);
    journal?.('rig.added', { ...row });
  });
}

/** Deletes a rig's row; false when there was none. */
export function deleteRig(db: Db, name: string, journal?: RigJournal): boolean {
  return writeTx(db, () => {
    const removed = db.prepare('DELETE FROM rigs WHERE name = ?').run(name).changes > 0;
    if (removed) journal?.('rig.removed', { name });
    return removed;
  });
}

export function duplicateRig(name: string): GasTownError {
  return new GasTownError(ErrorCode.conflict, `rig "${name}" already exists`, { ids: { rig: name } });
}
