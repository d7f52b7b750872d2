// The ledger's SQL, shared by both backends where the dialects agree. Where they differ is the
// head: on SQLite the write transaction (BEGIN IMMEDIATE) already excludes every other writer, so
// the head is simply the last row; on PostgreSQL appends lock the `ledger_head` row FOR UPDATE,
// which also hands back its newest version once the appender before us commits.
import type { EventQuery } from '../../ledger/read.js';
import type { LedgerRow } from '../../ledger/event.js';
import type { Dialect, SqlValue } from '../sql.js';

export const rowColumns =
  'seq, ts, kind, actor, bead_id, session_id, trace_id, span_id, parent_span_id, payload, prev_hash, hash';

const rowPlaceholders = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

export const lastRowSql = 'SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1';

/** The head an append continues from, locked against other appenders until commit. */
export function lockHeadSql(dialect: Dialect): string {
  return dialect === 'postgres' ? 'SELECT seq, hash FROM ledger_head WHERE id = 1 FOR UPDATE' : lastRowSql;
}

/** Inserts `count` rows (and, on PostgreSQL, moves the head row to the last of them). */
export function insertRowsSql(dialect: Dialect, count: number): string {
  const values = Array.from({ length: count }, () => rowPlaceholders).join(', ');
  const insert = `INSERT INTO ledger (${rowColumns}) VALUES ${values}`;
  return dialect === 'postgres'
    ? `WITH moved AS (UPDATE ledger_head SET seq = ?, hash = ?, prev_hash = ? WHERE id = 1) ${insert}`
    : insert;
}

export function insertRowsParams(dialect: Dialect, rows: readonly LedgerRow[]): SqlValue[] {
  const params: SqlValue[] = [];
  const last = rows[rows.length - 1];
  if (dialect === 'postgres' && last !== undefined) params.push(last.seq, last.hash, last.prev_hash);
  for (const r of rows) {
    params.push(r.seq, r.ts, r.kind, r.actor, r.bead_id, r.session_id, r.trace_id, r.span_id);
    params.push(r.parent_span_id, r.payload, r.prev_hash, r.hash);
  }
  return params;
}

/**
 * PostgreSQL: one event appended by one statement. Moving the head row locks it (an UPDATE waits
 * for the appender before it and then works on its committed head, as a counter's `n = n + 1`
 * does), numbers the event and hashes it: sha256 over prev_hash ‖ the body the core built in
 * JavaScript (`hashedBodyParts`, cut where the seq goes) — the very bytes the core would hash. The
 * lock is held for one statement, not across round trips to the client.
 */
export const appendOneSql = `WITH link AS (
  UPDATE ledger_head SET seq = seq + 1, prev_hash = hash,
    hash = encode(sha256(convert_to(hash || ? || (seq + 1)::text || ?, 'UTF8')), 'hex')
  WHERE id = 1
  RETURNING seq, prev_hash, hash
)
INSERT INTO ledger (${rowColumns})
SELECT seq, ?, ?, ?, ?, ?, ?, ?, ?, ?, prev_hash, hash FROM link
RETURNING seq, prev_hash, hash`;

/** PostgreSQL: the database encoding, which must be UTF8 for `appendOneSql` to hash what the core does. */
export const serverEncodingSql = `SELECT current_setting('server_encoding') AS encoding`;

export const insertBlobSql =
  'INSERT INTO ledger_blobs (hash, size, content) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING';
export const blobSql = 'SELECT content FROM ledger_blobs WHERE hash = ?';
export const blobHashesSql = 'SELECT hash FROM ledger_blobs';
export const blobPageSql = 'SELECT hash, content FROM ledger_blobs WHERE hash > ? ORDER BY hash LIMIT ?';

export const rowSql = `SELECT ${rowColumns} FROM ledger WHERE seq = ?`;
export const rowsAfterSql = `SELECT ${rowColumns} FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?`;
export const rowPageSql = `SELECT ${rowColumns} FROM ledger WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`;
export const hashesUpToSql = 'SELECT hash FROM ledger WHERE seq <= ? ORDER BY seq';

export const checkpointColumns = 'size, merkle_root, head_hash, time, key_id, signature';
export const insertCheckpointSql = `INSERT INTO ledger_checkpoints (${checkpointColumns}) VALUES (?, ?, ?, ?, ?, ?)`;
export const checkpointsSql = `SELECT ${checkpointColumns} FROM ledger_checkpoints ORDER BY id`;

/** PostgreSQL only: the head row, which verification compares with the last row. */
export const headRowSql = 'SELECT seq, hash FROM ledger_head WHERE id = 1';

/** The feed's and the trace's filtered page, oldest first unless asked otherwise. */
export function querySql(query: EventQuery): { sql: string; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const filter = (clause: string, value: SqlValue | undefined): void => {
    if (value === undefined) return;
    where.push(clause);
    params.push(value);
  };
  filter('seq > ?', query.afterSeq);
  filter('ts >= ?', query.since === undefined ? undefined : new Date(query.since).toISOString());
  filter('bead_id = ?', query.beadId);
  filter('actor = ?', query.actor);
  filter('kind = ?', query.kind);
  let sql = `SELECT ${rowColumns} FROM ledger`;
  if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
  sql += ` ORDER BY seq ${query.newestFirst ? 'DESC' : 'ASC'}`;
  if (query.limit) {
    sql += ' LIMIT ?';
    params.push(Math.floor(query.limit));
  }
  return { sql, params };
}
