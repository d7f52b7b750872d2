// The Store's own contract, on both backends: a unit of work commits whole or not at all, its
// repositories' nested transactions are savepoints, a second Store on the same data sees committed
// work, and a fresh store is migrated to the latest schema.
import { expect, it } from 'vitest';
import { describeBothStores } from '../support/both-stores.js';

describeBothStores('store', (stores) => {
  it('is migrated to the latest schema on open', async () => {
    const store = await stores.open();
    const schema = await store.schema();
    expect(schema.version).toBe(schema.latest);
    expect(schema.latest).toBeGreaterThan(0);
    expect(store.kind).toBe(stores.kind);
  });

  it('commits a unit of work whole, and a failed one leaves nothing', async () => {
    const store = await stores.open();
    const put = (key: string) =>
      store.transaction(async (tx) => {
        await tx.sql.run('INSERT INTO town_state (key, value, updated_at) VALUES (?, ?, ?)', [key, 'v', 't']);
        await tx.source.transaction((sql) =>
          sql.run('INSERT INTO rigs (name, prefix, git_url, branch, created_at) VALUES (?, ?, ?, ?, ?)', [
            key,
            key,
            'u',
            'main',
            't',
          ]),
        );
      });
    await put('a');
    await expect(put('a')).rejects.toThrow();
    const other = await stores.reopen(store);
    const rows = await other.source.read((sql) =>
      sql.all<{ key: string }>('SELECT key FROM town_state ORDER BY key'),
    );
    expect(rows.map((r) => r.key)).toEqual(['a']);
    expect(
      await other.source.read((sql) => sql.get<{ n: number }>('SELECT count(*) AS n FROM rigs')),
    ).toEqual({
      n: 1,
    });
  });

  it('undoes only a failing repository call inside the unit of work when the caller catches it', async () => {
    const store = await stores.open();
    await store.transaction(async (tx) => {
      await tx.source.transaction((sql) =>
        sql.run('INSERT INTO town_state (key, value, updated_at) VALUES (?, ?, ?)', ['kept', 'v', 't']),
      );
      await tx.source
        .transaction(async (sql) => {
          await sql.run('INSERT INTO town_state (key, value, updated_at) VALUES (?, ?, ?)', [
            'undone',
            'v',
            't',
          ]);
          throw new Error('inner');
        })
        .catch(() => undefined);
    });
    const keys = await store.source.read((sql) => sql.all<{ key: string }>('SELECT key FROM town_state'));
    expect(keys.map((r) => r.key)).toEqual(['kept']);
  });

  it('reads identity keys, integers and reals back the same on both backends', async () => {
    const store = await stores.open();
    const id = await store.transaction(async (tx) => {
      const row = await tx.sql.get<{ id: number }>(
        `INSERT INTO usage (at, day, agent, input_tokens, output_tokens, cost_usd, cost_source)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        ['2026-12-07T00:00:00Z', '2026-12-07', 'script', 1_000_000_000_000, 5, 0.25, 'prices'],
      );
      return row?.id;
    });
    expect(typeof id).toBe('number');
    const row = await store.source.read((sql) =>
      sql.get('SELECT input_tokens, output_tokens, cost_usd, unpriced FROM usage WHERE id = ?', [id ?? -1]),
    );
    expect(row).toEqual({ input_tokens: 1_000_000_000_000, output_tokens: 5, cost_usd: 0.25, unpriced: 0 });
  });

  it('refuses to open a store whose schema is newer than this gt, and leaves it as it was', async () => {
    const store = await stores.open();
    const { latest } = await store.schema();
    if (store.kind === 'sqlite')
      await store.source.read((sql) => sql.exec(`PRAGMA user_version = ${latest + 1}`));
    else
      await store.source.transaction((sql) =>
        sql.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
          latest + 1,
          'future',
          't',
        ]),
      );
    const error = await stores.reopen(store).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'store_failed' });
    expect((error as Error).message).toMatch(
      new RegExp(`schema version ${latest + 1}.*newer than this gt.*${latest}`),
    );
    expect((await store.schema()).version).toBe(latest + 1);
  });
});
