// Opens the town's SQLite file with the settings every process must share: WAL so readers never
// wait for the writer, a busy timeout so concurrent writers queue instead of failing, and foreign keys.
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  readonly?: boolean;
}

export function openDb(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: false });
  db.pragma('busy_timeout = 10000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  if (options.migrate ?? !options.readonly) migrate(db);
  return db;
}

/** Runs `fn` in a write transaction taken with BEGIN IMMEDIATE, so two writers never deadlock on upgrade. */
export function writeTx<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/**
 * Like `writeTx` for work that goes through async APIs whose writes are synchronous underneath
 * (the SQLite bead store, convoys, mail): they join this transaction as savepoints, and a failure
 * anywhere rolls everything back. `fn` must await nothing but such calls — no timers, files or
 * network — so no other task on this connection can run (and write) inside the transaction.
 */
export async function writeTxAsync<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  if (db.inTransaction) throw new Error('writeTxAsync: a transaction is already open on this connection');
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = await fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
