// The one seam every store adapter speaks: a SQL runner bound to a connection (or an open
// transaction), and a source that hands out runners inside transactions. Repositories are written
// against these, so the same code runs on the SQLite file and on a PostgreSQL server; where the two
// dialects differ (SKIP LOCKED, advisory locks, upserts), a repository branches on `dialect`.
// SQL text uses `?` placeholders; the PostgreSQL runner numbers them ($1, $2, …).

export type Dialect = 'sqlite' | 'postgres';

/** Values a statement takes: booleans are stored as 0/1 on both backends. */
export type SqlValue = string | number | bigint | null | Buffer;

export interface RunResult {
  /** Rows the statement inserted, updated or deleted. */
  changes: number;
}

export interface SqlRunner {
  readonly dialect: Dialect;
  all<R>(sql: string, params?: readonly SqlValue[]): Promise<R[]>;
  get<R>(sql: string, params?: readonly SqlValue[]): Promise<R | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface TxOptions {
  /**
   * Retry the whole transaction when the backend reports a serialization failure or deadlock
   * (PostgreSQL 40001/40P01, SQLite BUSY); the function must then be safe to run again.
   */
  retries?: number;
}

/**
 * Hands out runners. A source bound to an open transaction (a unit of work) runs `transaction`
 * bodies inside it — nested calls join, they never commit on their own — so a change and its ledger
 * event commit together; an unbound source opens a transaction per call.
 */
export interface TxSource {
  readonly dialect: Dialect;
  transaction<T>(fn: (sql: SqlRunner) => Promise<T>, options?: TxOptions): Promise<T>;
  /** A read: inside the bound transaction when there is one, else on any connection. */
  read<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T>;
}

/** `?` placeholders to PostgreSQL's `$n`, skipping quoted strings and identifiers. */
export function numberPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | undefined;
  for (const ch of sql) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  return out;
}
