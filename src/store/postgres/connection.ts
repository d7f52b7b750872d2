// PostgreSQL connections for the store: one pool per process, runners that number placeholders and
// read BIGINT as numbers, and the transaction source repositories use. A transaction retries on
// serialization failures and deadlocks (the body must be safe to run again); every other error
// rolls back and surfaces as a `store_failed` GasTownError naming the server (never its password).
import { createHash } from 'node:crypto';
import pg from 'pg';
import { ErrorCode, GasTownError } from '../../errors.js';
import { boundSource } from '../bound.js';
import { numberPlaceholders, type SqlRunner, type SqlValue, type TxOptions, type TxSource } from '../sql.js';

const int8 = 20;
const numeric = 1700;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    // Our BIGINTs are millisecond times, sequence numbers and token counts: all below 2^53.
    if (oid === int8 || oid === numeric) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

export interface PoolOptions {
  url: string;
  /** Connections this process may hold (default 10). */
  max?: number;
  /** Give up connecting after this long (default 10 s), so an unreachable server fails, not hangs. */
  connectTimeoutMs?: number;
}

export function openPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    types,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return pool;
}

/** Where a URL points, for messages: host, port and database, never the password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparseable store.url)';
  }
}

interface Numbered {
  text: string;
  /** A server-side prepared statement's name: parsed and planned once per connection, not per call. */
  name: string;
}

const statementCache = new Map<string, Numbered>();
function numbered(sql: string): Numbered {
  let statement = statementCache.get(sql);
  if (statement === undefined) {
    const text = numberPlaceholders(sql);
    statement = { text, name: `gt_${createHash('sha1').update(text).digest('hex').slice(0, 20)}` };
    // Texts are the repositories' own constants, so the set is small; the bound only guards a leak.
    if (statementCache.size < 2000) statementCache.set(sql, statement);
  }
  return statement;
}

export function runnerFor(client: pg.ClientBase): SqlRunner {
  const query = (sql: string, params: readonly SqlValue[] = []) => {
    const { text, name } = numbered(sql);
    return client.query({ name, text, values: params as unknown[] });
  };
  return {
    dialect: 'postgres',
    all: async <R>(sql: string, params?: readonly SqlValue[]) => (await query(sql, params)).rows as R[],
    get: async <R>(sql: string, params?: readonly SqlValue[]) =>
      (await query(sql, params)).rows[0] as R | undefined,
    run: async (sql: string, params?: readonly SqlValue[]) => ({
      changes: (await query(sql, params)).rowCount ?? 0,
    }),
    exec: async (sql: string) => {
      await client.query(sql);
    },
  };
}

const retryableCodes = new Set(['40001', '40P01']);

function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A transaction source over a pool: each call takes a client and runs BEGIN … COMMIT on it. */
export function poolSource(pool: pg.Pool): TxSource {
  return {
    dialect: 'postgres',
    async transaction<T>(fn: (sql: SqlRunner) => Promise<T>, options: TxOptions = {}): Promise<T> {
      for (let attempt = 0; ; attempt++) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await fn(boundSource(runnerFor(client)).runner);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          if (retryableCodes.has(pgCode(error) ?? '') && attempt < (options.retries ?? 5)) continue;
          throw error;
        } finally {
          client.release();
        }
      }
    },
    async read<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        return await fn(runnerFor(client));
      } finally {
        client.release();
      }
    },
  };
}

/** Wraps a driver error as `store_failed`, keeping the SQLSTATE for callers that branch on it. */
export function storeError(error: unknown, url: string): GasTownError {
  const code = pgCode(error);
  return new GasTownError(ErrorCode.store, `PostgreSQL at ${describeUrl(url)}: ${(error as Error).message}`, {
    retryable: code === undefined || code.startsWith('08') || retryableCodes.has(code),
    ids: code === undefined ? {} : { sqlstate: code },
    cause: error,
  });
}
