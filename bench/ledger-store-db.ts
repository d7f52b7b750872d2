// The two stores the ledger repository's bench runs on: a fresh SQLite town file, and a fresh
// database on a PostgreSQL server — GT_BENCH_PG_URL, else GT_TEST_PG_URL, else the test server
// that scripts/test-postgres.sh starts (none of them: the PostgreSQL half is reported as skipped).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { openDb, type Db } from '../src/db/open.js';
import { openPool } from '../src/store/postgres/connection.js';
import { ledgerDdl } from '../src/store/postgres/schema/ledger.js';

export interface BenchPostgres {
  pool: pg.Pool;
  close(): Promise<void>;
}

function serverUrl(): string | undefined {
  const named = process.env.GT_BENCH_PG_URL ?? process.env.GT_TEST_PG_URL;
  if (named) return named;
  const script = join(process.cwd(), 'scripts', 'test-postgres.sh');
  if (!existsSync(script)) return undefined;
  try {
    return execFileSync(script, ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database holding the ledger's tables, dropped by `close`; undefined without a server. */
export async function openBenchPostgres(label: string): Promise<BenchPostgres | undefined> {
  const base = serverUrl();
  if (base === undefined) return undefined;
  const name = `gt_bench_${label}_${randomBytes(4).toString('hex')}`;
  await admin(base, `CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const pool = openPool({ url: url.toString(), max: 4 });
  await pool.query(ledgerDdl);
  return {
    pool,
    close: async () => {
      await pool.end();
      await admin(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export function openBenchSqlite(dir: string, label: string): Db {
  return openDb(join(dir, `ledger-store-${label}.db`));
}
