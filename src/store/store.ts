// The Store: one handle on the town's state, whichever backend holds it. Repositories take a
// transaction source explicitly; a unit of work (`store.transaction`) hands every repository in it
// the same open transaction, so a change and its ledger event commit together on either backend.
import type { LedgerRow } from '../ledger/event.js';
import { boundSource } from './bound.js';
import type { Dialect, SqlRunner, TxOptions, TxSource } from './sql.js';

/** One open transaction, as a unit of work's body sees it. */
export interface Tx {
  readonly dialect: Dialect;
  /** Statements run inside the transaction. */
  readonly sql: SqlRunner;
  /** A source bound to the transaction: repositories' own `transaction` calls become savepoints. */
  readonly source: TxSource;
}

export interface SchemaStatus {
  /** The version the store is at (0: never migrated). */
  version: number;
  /** The newest version this gt knows. */
  latest: number;
}

export interface MigrationReport {
  /** The version before. */
  from: number;
  /** The version now. */
  to: number;
  /** Versions this call applied, in order. */
  applied: number[];
}

export interface WakeSubscription {
  close(): Promise<void>;
}

/** The ledger read in order, and a signal that says when to read again (replaces polling loops). */
export interface EventTail {
  /** Committed ledger rows with seq greater than `seq`, in order, at most `limit` (default 500). */
  after(seq: number, limit?: number): Promise<LedgerRow[]>;
  /** The highest committed seq, 0 for an empty ledger. */
  head(): Promise<number>;
  /**
   * Calls `onWake` after a transaction that appended to the ledger commits, in this process or any
   * other; never for one that rolled back. A wake says "read `after` again": several appends may
   * fold into one wake.
   */
  wake(onWake: () => void): Promise<WakeSubscription>;
}

export interface Store {
  readonly kind: Dialect;
  /** Where the state lives, for messages: the file, or host:port/database (never a password). */
  readonly where: string;
  /** Opens a transaction per call; repositories outside a unit of work take this one. */
  readonly source: TxSource;
  readonly events: EventTail;
  /** The unit of work: everything `fn` does through `tx` commits together or not at all. */
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TxOptions): Promise<T>;
  schema(): Promise<SchemaStatus>;
  /** Applies pending migrations; refuses a store newer than this gt. */
  migrate(): Promise<MigrationReport>;
  close(): Promise<void>;
}

/** The unit of work over a source: the body gets the runner and a source bound to it. */
export function unitOfWork<T>(source: TxSource, fn: (tx: Tx) => Promise<T>, options?: TxOptions): Promise<T> {
  return source.transaction((sql) => fn({ dialect: source.dialect, sql, source: boundSource(sql) }), options);
}

export const defaultTailLimit = 500;

export const tailQuery = 'SELECT * FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?';
export const headQuery = 'SELECT coalesce(max(seq), 0) AS head FROM ledger';
