// Writes generated towns into SQLite fast: one transaction of prepared inserts straight into the
// tables, then one rebuild of the blocked cache — seconds for 100k beads, where creating them one
// by one through the store would take minutes.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Bead } from '../src/beads/index.js';
import { rebuildBlocked } from '../src/beads/sqlite/blocked-cache.js';
import { beadColumns, beadToRow } from '../src/beads/sqlite/rows.js';
import type { Db } from '../src/db/open.js';
import { openDb, writeTx } from '../src/db/open.js';
import { generateTown } from './town-gen.js';

export interface TownStats {
  beads: number;
  dependencies: number;
  open: number;
  ready: number;
}

/** Inserts `beads` (dependencies, labels and comments included) and rebuilds the blocked cache. */
export function writeBeads(db: Db, beads: readonly Bead[]): void {
  const insertBead = db.prepare(
    `INSERT INTO beads (${beadColumns.join(', ')}) VALUES (${beadColumns.map((c) => `:${c}`).join(', ')})`,
  );
  const insertLabel = db.prepare('INSERT INTO labels (issue_id, label) VALUES (?, ?)');
  const insertEdge = db.prepare(
    'INSERT INTO dependencies (issue_id, depends_on_id, type, created_at, created_by) VALUES (?, ?, ?, ?, ?)',
  );
  const insertComment = db.prepare(
    'INSERT INTO comments (issue_id, author, text, created_at) VALUES (?, ?, ?, ?)',
  );
  writeTx(db, () => {
    for (const bead of beads) {
      insertBead.run(beadToRow(bead));
      for (const label of bead.labels) insertLabel.run(bead.id, label);
      for (const d of bead.dependencies) {
        insertEdge.run(d.issue_id, d.depends_on_id, d.type, d.created_at, d.created_by ?? null);
      }
      for (const c of bead.comments) insertComment.run(c.issue_id, c.author, c.text, c.created_at);
    }
    rebuildBlocked(db);
  });
  db.pragma('optimize');
}

/** Opens (creating if needed) `file` and fills it with a generated town of `n` beads. */
export function buildTownDb(file: string, n: number, prefix = 'gt'): Db {
  mkdirSync(dirname(file), { recursive: true });
  const db = openDb(file);
  writeBeads(db, generateTown(n, { prefix, seed: n }));
  return db;
}

/** A pool of `n` open, unassigned, unblocked beads: the claim race's field. */
export function buildReadyPool(file: string, n: number): string[] {
  const beads = generateTown(n, { prefix: 'pool', seed: 7 }).map((bead) => ({
    ...bead,
    status: 'open' as const,
    dependencies: [],
    assignee: undefined,
    closed_at: undefined,
    close_reason: undefined,
    defer_until: undefined,
    deleted_at: undefined,
    deleted_by: undefined,
    delete_reason: undefined,
    original_type: undefined,
  }));
  const db = openDb(file);
  try {
    writeBeads(db, beads);
  } finally {
    db.close();
  }
  return beads.map((bead) => bead.id);
}

export function townStats(db: Db, now = Date.now()): TownStats {
  const count = (sql: string): number => db.prepare<[], { n: number }>(sql).get()?.n ?? 0;
  return {
    beads: count('SELECT count(*) AS n FROM beads'),
    dependencies: count('SELECT count(*) AS n FROM dependencies'),
    open: count(`SELECT count(*) AS n FROM beads WHERE status = 'open'`),
    ready: count(`SELECT count(*) AS n FROM beads i WHERE i.status = 'open'
      AND (i.defer_ms IS NULL OR i.defer_ms <= ${now}) AND i.id NOT IN (SELECT id FROM blocked_cache)`),
  };
}
