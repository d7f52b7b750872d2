// The event tail's contract on both backends: `after` reads committed ledger rows in order, a
// writer on other connections or in another process wakes a listener, and a transaction that rolls
// back is never delivered — neither as rows nor as a wake.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SqlRunner } from '../../src/store/sql.js';
import type { Store } from '../../src/store/store.js';
import { describeBothStores, storeFixture } from '../support/both-stores.js';

const run = promisify(execFile);

const appendSql =
  'INSERT INTO ledger (seq, ts, kind, actor, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)';
const append = (sql: SqlRunner, seq: number) =>
  sql.run(appendSql, [
    seq,
    '2026-12-07T00:00:00.000Z',
    'test.event',
    'tester',
    '{}',
    `h${seq - 1}`,
    `h${seq}`,
  ]);

/** Appends one row from a separate node process, with its own driver connection. */
async function appendFromAnotherProcess(where: { file?: string; url?: string }, seq: number): Promise<void> {
  let i = 0;
  const numbered = appendSql.replace(/\?/g, () => `$${++i}`);
  const values = `[${seq}, '2026-12-07T00:00:00.000Z', 'test.event', 'other', '{}', 'h${seq - 1}', 'h${seq}']`;
  const script =
    where.file !== undefined
      ? `import Database from 'better-sqlite3';
         const db = new Database(${JSON.stringify(where.file)});
         db.pragma('busy_timeout = 10000');
         db.prepare(${JSON.stringify(appendSql)}).run(...${values});
         db.close();`
      : `import pg from 'pg';
         const client = new pg.Client({ connectionString: ${JSON.stringify(where.url)} });
         await client.connect();
         await client.query(${JSON.stringify(numbered)}, ${values});
         await client.end();`;
  await run(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd() });
}

const settle = { timeout: 20_000, interval: 10 };

describeBothStores('event tail', (stores) => {
  it('reads committed rows after a sequence number, in order, a page at a time', async () => {
    const store = await stores.open();
    await store.transaction(async (tx) => {
      for (let seq = 1; seq <= 5; seq++) await append(tx.sql, seq);
    });
    expect(await store.events.head()).toBe(5);
    expect((await store.events.after(0)).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    const page = await store.events.after(2, 2);
    expect(page.map((r) => r.seq)).toEqual([3, 4]);
    expect(page[0]).toMatchObject({
      kind: 'test.event',
      actor: 'tester',
      payload: '{}',
      bead_id: null,
      hash: 'h3',
    });
    expect(await store.events.after(5)).toEqual([]);
  });

  it('wakes a listener when another store (other connections) appends', async () => {
    const store = await stores.open();
    const writer = await stores.reopen(store);
    let wakes = 0;
    const subscription = await store.events.wake(() => wakes++);
    await writer.transaction((tx) => append(tx.sql, 1));
    await vi.waitFor(() => expect(wakes).toBeGreaterThan(0), settle);
    expect((await store.events.after(0)).map((r) => r.seq)).toEqual([1]);
    await subscription.close();
  });

  it('wakes a listener when another process appends', async () => {
    const store = await stores.open();
    let wakes = 0;
    const subscription = await store.events.wake(() => wakes++);
    await appendFromAnotherProcess(stores.location(store), 1);
    await vi.waitFor(() => expect(wakes).toBeGreaterThan(0), settle);
    expect((await store.events.after(0)).map((r) => r.actor)).toEqual(['other']);
    await subscription.close();
  });

  it('delivers nothing for a transaction that rolled back', async () => {
    const store = await stores.open();
    const writer = await stores.reopen(store);
    let wakes = 0;
    const subscription = await store.events.wake(() => wakes++);
    await expect(
      writer.transaction(async (tx) => {
        await append(tx.sql, 1);
        throw new Error('abandoned');
      }),
    ).rejects.toThrow('abandoned');
    // Also within this very store, the listener's own process.
    await expect(
      store.transaction(async (tx) => {
        await append(tx.sql, 1);
        throw new Error('abandoned');
      }),
    ).rejects.toThrow('abandoned');
    await writer.transaction((tx) => append(tx.sql, 7));
    await vi.waitFor(() => expect(wakes).toBeGreaterThan(0), settle);
    await barrier(store, () => wakes);
    // One wake, for the committed row; a rolled-back append would have woken us before it.
    expect(wakes).toBe(stores.kind === 'postgres' ? 2 : 1);
    expect((await store.events.after(0)).map((r) => r.seq)).toEqual([7]);
    await subscription.close();
  });
});

/**
 * Makes sure every wake already on its way has arrived. PostgreSQL delivers notifications in commit
 * order on the listening connection, so a marker notification sent now arrives after any earlier
 * one: once its wake is counted, nothing earlier is still in flight. SQLite wakes only when the
 * committed head moves, which the assertions check directly.
 */
async function barrier(store: Store, wakes: () => number): Promise<void> {
  if (store.kind !== 'postgres') return;
  const before = wakes();
  await store.source.transaction((sql) => sql.exec("NOTIFY gt_ledger, 'marker'"));
  await vi.waitFor(() => expect(wakes()).toBeGreaterThan(before), settle);
}

describe('event tail [postgres] when the listening connection drops', () => {
  const stores = storeFixture('postgres');
  afterEach(() => stores.cleanup());

  it('reconnects, wakes once for what it may have missed, and keeps waking', async () => {
    const store = await stores.open({ reconnectMs: 20 });
    let wakes = 0;
    const subscription = await store.events.wake(() => wakes++);
    const killed = await store.source.read((sql) =>
      sql.all<{ ok: boolean }>(
        "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
      ),
    );
    expect(killed).toEqual([{ ok: true }]);
    await vi.waitFor(() => expect(wakes).toBe(1), settle);
    await store.transaction((tx) => append(tx.sql, 1));
    await vi.waitFor(() => expect(wakes).toBe(2), settle);
    await subscription.close();
  });
});
