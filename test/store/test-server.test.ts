// The PostgreSQL test server every backend suite relies on: reachable, and each file's database is
// its own (a table made in one fresh database is absent from another).
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/postgres.js';

describe('postgres test server', () => {
  const made: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of made) await db.drop();
  });

  it('gives each caller an empty database of its own', async () => {
    const a = await freshDatabase('a');
    const b = await freshDatabase('b');
    made.push(a, b);
    const ca = new pg.Client({ connectionString: a.url });
    const cb = new pg.Client({ connectionString: b.url });
    await ca.connect();
    await cb.connect();
    try {
      await ca.query('CREATE TABLE marker (id int)');
      const there = await ca.query<{ t: string | null }>("SELECT to_regclass('marker') AS t");
      const absent = await cb.query<{ t: string | null }>("SELECT to_regclass('marker') AS t");
      expect(there.rows[0]?.t).toBe('marker');
      expect(absent.rows[0]?.t).toBeNull();
      const listen = await ca.query<{ a: string }>("SELECT current_setting('listen_addresses') AS a");
      expect(listen.rows[0]?.a).toBe('127.0.0.1');
    } finally {
      await ca.end();
      await cb.end();
    }
  });
});
