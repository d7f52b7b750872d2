// The SQLite seam on a real town file: transactions queue per connection instead of colliding, a
// failed one leaves nothing, and a unit of work's inner failure undoes only itself.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/open.js';
import { boundSource } from '../../src/store/bound.js';
import { sqliteSource } from '../../src/store/sqlite/connection.js';
import { makeTempDir } from '../support/temp.js';

describe('sqlite connection seam', () => {
  let db: Db | undefined;
  afterEach(() => db?.close());

  async function open(): Promise<Db> {
    db = openDb(join(await makeTempDir('sqlite-seam'), 'town.db'), { migrate: false });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT)');
    return db;
  }

  it('queues concurrent transactions on one connection', async () => {
    const source = sqliteSource(await open());
    const writes = Array.from({ length: 20 }, (_, i) =>
      source.transaction(async (sql) => {
        const row = await sql.get<{ n: number }>('SELECT count(*) AS n FROM t');
        await new Promise((resolve) => setTimeout(resolve, 1));
        await sql.run('INSERT INTO t VALUES (?, ?)', [i, `seen ${row?.n ?? -1}`]);
      }),
    );
    await Promise.all(writes);
    const notes = await source.read((sql) => sql.all<{ note: string }>('SELECT note FROM t ORDER BY id'));
    // Each transaction saw every earlier one: no two bodies interleaved.
    expect(notes.map((r) => r.note).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `seen ${i}`).sort());
  });

  it('rolls a failed transaction back whole, and savepoints undo only the inner part', async () => {
    const source = sqliteSource(await open());
    await expect(
      source.transaction(async (sql) => {
        await sql.run('INSERT INTO t VALUES (?, ?)', [1, 'a']);
        await sql.run('INSERT INTO t VALUES (?, ?)', [1, 'b']);
      }),
    ).rejects.toThrow(/UNIQUE/);
    await source.transaction(async (sql) => {
      const unit = boundSource(sql);
      await unit.transaction((inner) => inner.run('INSERT INTO t VALUES (?, ?)', [2, 'kept']));
      await unit
        .transaction((inner) =>
          inner.run('INSERT INTO t VALUES (?, ?)', [3, 'undone']).then(() => {
            throw new Error('inner');
          }),
        )
        .catch(() => undefined);
    });
    const ids = await source.read((sql) => sql.all<{ id: number }>('SELECT id FROM t ORDER BY id'));
    expect(ids.map((r) => r.id)).toEqual([2]);
  });
});
