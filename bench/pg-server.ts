// The PostgreSQL server the bench measures: GT_BENCH_PG_URL if set (a real server), else the local
// test server that scripts/test-postgres.sh starts (a temp cluster on 127.0.0.1, fsync off — so the
// figures show the store's own cost, not the disk's). Each bench gets a fresh database, dropped after.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openPool } from '../src/store/index.js';
import { beadsSchema } from '../src/store/postgres/schema/beads.js';

function serverUrl(): string {
  const given = process.env.GT_BENCH_PG_URL;
  if (given) return given;
  // Works from bench/ (tsx) and from dist/bench/ (built): walk up to the checkout's scripts/.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'scripts', 'test-postgres.sh'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('scripts/test-postgres.sh not found; set GT_BENCH_PG_URL');
    dir = up;
  }
  return execFileSync(join(dir, 'scripts', 'test-postgres.sh'), ['start'], { encoding: 'utf8' }).trim();
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

export interface BenchDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** A new database with the bead schema, and a pool on it. */
export async function benchDatabase(label: string, max = 4): Promise<BenchDatabase> {
  const base = serverUrl();
  const name = `gt_bench_${label}_${process.pid}`;
  await admin(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(base, `CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const pool = openPool({ url: url.toString(), max });
  await pool.query(beadsSchema);
  return {
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end();
      await admin(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
