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
