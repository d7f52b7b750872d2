// The PostgreSQL server the tests share: started once per run by test/support/postgres-setup.ts
// (or by .ci/run), named by GT_TEST_PG_URL. Each test file asks for its own fresh database, so
// files never see each other's rows and can run in parallel.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The URL of the shared test server's maintenance database; throws a clear error when absent. */
export function testPostgresUrl(): string {
  const url = process.env.GT_TEST_PG_URL;
  if (url === undefined || url === '') {
    throw new Error(
      'GT_TEST_PG_URL is not set: the PostgreSQL test server did not start (scripts/test-postgres.sh start; needs Debian package postgresql)',
    );
  }
  return url;
}

export interface TestDatabase {
  /** Connection URL of a new, empty database. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates an empty database on the test server; `drop()` removes it (closing stray connections). */
export async function freshDatabase(label = 't'): Promise<TestDatabase> {
  const base = testPostgresUrl();
  const name = `gt_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(5).toString('hex')}`;
  await admin(base, `CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
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

/** Which backend the end-to-end suites run on: GT_TEST_STORE=postgres switches them. */
export function testStoreKind(): 'sqlite' | 'postgres' {
  return process.env.GT_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
}
