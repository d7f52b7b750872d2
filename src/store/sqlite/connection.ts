// SQLite connections for the store: the town file opened by src/db/open.ts, runners over cached
// prepared statements, and the transaction source repositories use. better-sqlite3 is synchronous,
// so one connection can hold one transaction at a time: async transactions on a connection queue
// behind a mutex, and each opens with BEGIN IMMEDIATE so two processes never deadlock on upgrade.
import type Database from 'better-sqlite3';
import type { Db } from '../../db/open.js';
import type { SqlRunner, SqlValue, TxOptions, TxSource } from '../sql.js';
import { boundSource } from '../bound.js';

const runners = new WeakMap<Db, SqlRunner>();
const queues = new WeakMap<Db, Promise<unknown>>();

export function sqliteRunner(db: Db): SqlRunner {
  const known = runners.get(db);
  if (known !== undefined) return known;
  const cache = new Map<string, Database.Statement>();
  const prepared = (sql: string): Database.Statement => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
  const runner: SqlRunner = {
    dialect: 'sqlite',
    all: <R>(sql: string, params: readonly SqlValue[] = []) =>
      Promise.resolve(prepared(sql).all(...params) as R[]),
    get: <R>(sql: string, params: readonly SqlValue[] = []) =>
      Promise.resolve(prepared(sql).get(...params) as R | undefined),
    run: (sql: string, params: readonly SqlValue[] = []) =>
      Promise.resolve({ changes: prepared(sql).run(...params).changes }),
    exec: (sql: string) => {
      db.exec(sql);
      return Promise.resolve();
    },
  };
  runners.set(db, runner);
  return runner;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT';
}

/** Runs `fn` after every transaction queued before it on this connection has settled. */
function serialized<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const before = queues.get(db) ?? Promise.resolve();
  const mine = before.then(fn, fn);
  queues.set(
    db,
    mine.catch(() => undefined),
  );
  return mine;
}

/** A transaction source over the town file: BEGIN IMMEDIATE … COMMIT, queued per connection. */
export function sqliteSource(db: Db): TxSource {
  const runner = sqliteRunner(db);
  return {
    dialect: 'sqlite',
    transaction<T>(fn: (sql: SqlRunner) => Promise<T>, options: TxOptions = {}): Promise<T> {
      return serialized(db, async () => {
        for (let attempt = 0; ; attempt++) {
          try {
            db.exec('BEGIN IMMEDIATE');
          } catch (error) {
            if (isBusy(error) && attempt < (options.retries ?? 5)) continue;
            throw error;
          }
          try {
            const result = await fn(boundSource(runner).runner);
            db.exec('COMMIT');
            return result;
          } catch (error) {
            if (db.inTransaction) db.exec('ROLLBACK');
            throw error;
          }
        }
      });
    },
    read: <T>(fn: (sql: SqlRunner) => Promise<T>) => fn(runner),
  };
}
