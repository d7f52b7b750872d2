// The PostgreSQL seam on a real server: `?` placeholders numbered outside quotes, BIGINT read as a
// number, a failed transaction leaves nothing, a unit of work's inner failure undoes only itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { boundSource } from '../../src/store/bound.js';
import { openPool, poolSource } from '../../src/store/postgres/connection.js';
import { numberPlaceholders } from '../../src/store/sql.js';
import { freshDatabase, type TestDatabase } from '../support/postgres.js';

describe('postgres connection seam', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await freshDatabase('conn');
    pool = openPool({ url: db.url, max: 4 });
    await pool.query('CREATE TABLE t (id BIGINT PRIMARY KEY, note TEXT)');
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('numbers placeholders but leaves quoted question marks alone', () => {
    expect(numberPlaceholders(`SELECT '?', "a?" FROM t WHERE a = ? AND b = ?`)).toBe(
      `SELECT '?', "a?" FROM t WHERE a = $1 AND b = $2`,
    );
  });

  it('reads BIGINT as a number and counts changes', async () => {
    const source = poolSource(pool);
    const changes = await source.transaction((sql) =>
      sql.run('INSERT INTO t VALUES (?, ?)', [1_765_000_000_000, '?']),
    );
    expect(changes.changes).toBe(1);
    const row = await source.read((sql) =>
      sql.get<{ id: number; note: string }>('SELECT id, note FROM t WHERE id = ?', [1_765_000_000_000]),
    );
    expect(row).toEqual({ id: 1_765_000_000_000, note: '?' });
  });

  it('rolls a failed transaction back whole', async () => {
    const source = poolSource(pool);
    await expect(
      source.transaction(async (sql) => {
        await sql.run('INSERT INTO t VALUES (?, ?)', [2, 'first']);
        await sql.run('INSERT INTO t VALUES (?, ?)', [2, 'duplicate']);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await source.read((sql) => sql.get('SELECT * FROM t WHERE id = 2'))).toBeUndefined();
  });

  it('nested transactions in a unit of work are savepoints', async () => {
    await poolSource(pool).transaction(async (sql) => {
      const unit = boundSource(sql);
      await unit.transaction((inner) => inner.run('INSERT INTO t VALUES (?, ?)', [3, 'kept']));
      await expect(
        unit.transaction(async (inner) => {
          await inner.run('INSERT INTO t VALUES (?, ?)', [4, 'undone']);
          throw new Error('inner failure');
        }),
      ).rejects.toThrow('inner failure');
    });
    const ids = await poolSource(pool).read((sql) =>
      sql.all<{ id: number }>('SELECT id FROM t WHERE id IN (3, 4) ORDER BY id'),
    );
    expect(ids.map((r) => r.id)).toEqual([3]);
  });
});
