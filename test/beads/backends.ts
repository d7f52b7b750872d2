// The bead store backends the shared suites run on: SQLite (a temp town file per store) and
// PostgreSQL (one fresh database per test file, its bead tables emptied for each new store).
// A suite loops over `beadBackends` and calls `afterAll(closeBeadBackends)`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { SqliteBeadStore } from '../../src/beads/index.js';
import { openDb } from '../../src/db/open.js';
import { openPool, poolSource } from '../../src/store/index.js';
import { PostgresBeadStore } from '../../src/store/postgres/beads/index.js';
import type { PostgresBeadStoreOptions } from '../../src/store/postgres/beads/index.js';
import { beadsSchema, beadsTables } from '../../src/store/postgres/schema/beads.js';
import type { TestDatabase } from '../support/postgres.js';
import { freshDatabase } from '../support/postgres.js';
import type { StoreFactory, StoreHandle } from './store-contract.js';

export function sqliteBeadStore(): Promise<StoreHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'gt-store-'));
  const store = new SqliteBeadStore(openDb(join(dir, 'town.db')), { ownsDb: true });
  return Promise.resolve({
    store,
    cleanup: async () => {
      await store.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

export interface PgBeadsDatabase {
  database: TestDatabase;
  pool: pg.Pool;
}

let shared: Promise<PgBeadsDatabase> | undefined;

/** A database on the test server with the bead schema, created once per test file. */
export function pgBeadsDatabase(): Promise<PgBeadsDatabase> {
  shared ??= (async () => {
    const database = await freshDatabase('beads');
    const pool = openPool({ url: database.url, max: 4 });
    await pool.query(beadsSchema);
    return { database, pool };
  })();
  return shared;
}

/** An empty PostgreSQL bead store on this file's database. */
export async function postgresBeadStore(
  options: PostgresBeadStoreOptions = {},
): Promise<StoreHandle & { store: PostgresBeadStore; pool: pg.Pool }> {
  const { pool } = await pgBeadsDatabase();
  // DELETE beats TRUNCATE on tables this small (no file swaps, no catalog locks).
  await pool.query(beadsTables.map((table) => `DELETE FROM ${table};`).join(' '));
  const store = new PostgresBeadStore(poolSource(pool), options);
  return { store, pool, cleanup: () => store.dispose() };
}

export async function closeBeadBackends(): Promise<void> {
  if (shared === undefined) return;
  const { database, pool } = await shared;
  shared = undefined;
  await pool.end();
  await database.drop();
}

export const beadBackends: readonly { name: string; factory: StoreFactory }[] = [
  { name: 'sqlite', factory: sqliteBeadStore },
  { name: 'postgres', factory: () => postgresBeadStore() },
];
