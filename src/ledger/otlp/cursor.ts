// The export cursor: the last ledger seq whose events have been exported (or deferred). It lives
// in its own one-row table, created on first use, and only ever moves forward.
import type Database from 'better-sqlite3';

type Db = Database.Database;

export const cursorTableSql =
  'CREATE TABLE IF NOT EXISTS otlp_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), last_seq INTEGER NOT NULL)';

function hasCursorTable(db: Db): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'otlp_cursor'").get() !==
    undefined
  );
}

/** 0 when nothing has been exported yet (the table need not exist). */
export function readCursor(db: Db): number {
  if (!hasCursorTable(db)) return 0;
  return (
    db.prepare<[], { last_seq: number }>('SELECT last_seq FROM otlp_cursor WHERE id = 1').get()?.last_seq ?? 0
  );
}

/**
 * Moves the cursor to `seq` (never backwards), waiting at most `waitMs` for another writer: the
 * wait blocks the thread, so it is bounded by the caller's remaining time budget.
 */
export function advanceCursor(db: Db, seq: number, waitMs: number): void {
  const previous = Number(db.pragma('busy_timeout', { simple: true }));
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(waitMs))}`);
  try {
    if (!hasCursorTable(db)) db.exec(cursorTableSql);
    db.prepare(
      `INSERT INTO otlp_cursor (id, last_seq) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)`,
    ).run(seq);
  } finally {
    db.pragma(`busy_timeout = ${previous}`);
  }
}
