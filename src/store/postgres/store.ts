// The Store over a PostgreSQL server (`store.url`): a pooled transaction source, the versioned
// migrations of ./migrate.ts, and the LISTEN/NOTIFY event tail. `where` names the server without
// its password; connection failures surface as `store_failed` errors that name it the same way.
import type pg from 'pg';
import { describeUrl, openPool, poolSource, storeError } from './connection.js';
import { latestVersion, migratePostgres, pgSchemaVersion } from './migrate.js';
import { pgTail, type PgTailOptions } from './events.js';
import { unitOfWork, type Store } from '../store.js';
import { GasTownError } from '../../errors.js';

export interface PgStoreOptions extends PgTailOptions {
  /** Connections this process may hold (default 10). */
  max?: number;
  /** Give up connecting after this long (default 10 s). */
  connectTimeoutMs?: number;
}

export interface PgStore extends Store {
  readonly pool: pg.Pool;
}

/** A store on `url` (password already resolved); nothing is contacted until first use. */
export function pgStore(url: string, options: PgStoreOptions = {}): PgStore {
  const pool = openPool({
    url,
    ...(options.max === undefined ? {} : { max: options.max }),
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
  });
  const source = poolSource(pool);
  const events = pgTail(pool, url, options);
  const where = describeUrl(url);
  const wrap = (error: unknown): GasTownError =>
    error instanceof GasTownError ? error : storeError(error, url);
  return {
    kind: 'postgres',
    where,
    pool,
    source,
    events,
    transaction: (fn, txOptions) => unitOfWork(source, fn, txOptions),
    async schema() {
      const client = await pool.connect().catch((error: unknown) => Promise.reject(wrap(error)));
      try {
        return { version: await pgSchemaVersion(client), latest: latestVersion() };
      } finally {
        client.release();
      }
    },
    migrate: () => migratePostgres(pool, where).catch((error: unknown) => Promise.reject(wrap(error))),
    async close() {
      await events.close();
      await pool.end();
    },
  };
}
