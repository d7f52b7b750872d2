// Runs the bead store contract against PostgreSQL, plus what only this backend promises: the
// recorder writes on the change's own transaction, the store joins a unit of work, strings SQLite
// keeps (U+0000) survive, and concurrent writers keep the blocked cache and claims sound.
import { afterAll, describe, expect, it } from 'vitest';
import type { BeadChange } from '../../src/beads/index.js';
import { boundSource, runnerFor } from '../../src/store/index.js';
import { parseJsonl, toJsonl } from '../../src/beads/index.js';
import { bulkInsertBeads, PostgresBeadStore } from '../../src/store/postgres/beads/index.js';
import { closeBeadBackends, postgresBeadStore } from './backends.js';
import { beadStoreContract, ctx, errorOf } from './store-contract.js';
import { readFixture } from './store-contract-trackers.js';

beadStoreContract('postgres', () => postgresBeadStore());

afterAll(closeBeadBackends);

describe('postgres: the change recorder', () => {
  it('sees every change on the same transaction, and a failing recorder rolls the change back', async () => {
    const seen: BeadChange[] = [];
    let fail = false;
    const { store, pool, cleanup } = await postgresBeadStore({
      recorder: async (change, tx) => {
        if (fail) throw new Error('ledger unavailable');
        // The recorder's reads see the change it records: same transaction.
        const row = await tx.get<{ n: number }>('SELECT count(*) AS n FROM beads WHERE id = ?', [
          change.bead_id ?? '',
        ]);
        expect(row?.n).toBe(1);
        seen.push(change);
      },
    });
    const bead = await store.create({ prefix: 'gt', title: 'a' }, ctx);
    await store.claim(bead.id, 'nux', ctx);
    expect(seen.map((c) => [c.kind, c.bead_id, c.actor])).toEqual([
      ['bead.created', bead.id, 'overseer'],
      ['bead.claimed', bead.id, 'overseer'],
    ]);
    fail = true;
    await expect(store.close(bead.id, 'x', ctx)).rejects.toThrow('ledger unavailable');
    await expect(store.create({ prefix: 'gt', title: 'b' }, ctx)).rejects.toThrow('ledger unavailable');
    expect((await store.require(bead.id)).status).toBe('in_progress');
    const count = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM beads');
    expect(count.rows[0]?.n).toBe(1);
    await cleanup();
  });

  it('reports a missing bead even when the recorder is fine', async () => {
    const { store, cleanup } = await postgresBeadStore({ recorder: () => undefined });
    expect((await errorOf(store.update('gt-x', { title: 'y' }, ctx))).code).toBe('not_found');
    await cleanup();
  });
});

describe('postgres: inside a unit of work', () => {
  it('joins the open transaction: nothing commits until it does, and a rollback undoes every write', async () => {
    const { pool, cleanup } = await postgresBeadStore();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const store = new PostgresBeadStore(boundSource(runnerFor(client)));
      const epic = await store.create({ prefix: 'gt', title: 'Epic' }, ctx);
      await store.create({ prefix: 'gt', title: 'Step', parent: epic.id }, ctx);
      // A failing call inside the unit of work undoes only itself.
      await expect(store.claim('gt-missing', 'nux', ctx)).rejects.toThrow();
      expect(await store.list()).toHaveLength(2);
      const outside = await pool.query('SELECT id FROM beads');
      expect(outside.rows).toEqual([]);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect((await pool.query('SELECT id FROM beads')).rows).toEqual([]);
    expect((await pool.query('SELECT parent_id FROM child_counters')).rows).toEqual([]);
    await cleanup();
  });
});

describe('postgres: strings PostgreSQL TEXT cannot hold as they are', () => {
  it('keeps U+0000 and U+0001 in titles, labels-free text and comments, byte for byte', async () => {
    const { store, pool, cleanup } = await postgresBeadStore();
    const title = 'nul \u0000 here, \u0001 there, \u0001\u0002 both';
    const bead = await store.create({ prefix: 'gt', title, description: '\u0000' }, ctx);
    await store.addComment(bead.id, 'a \u0000 b', ctx);
    const back = await store.require(bead.id);
    expect(back.title).toBe(title);
    expect(back.description).toBe('\u0000');
    expect(back.comments[0]?.text).toBe('a \u0000 b');
    // Plain text is stored as it is, so SQL on it (ids, statuses, labels) works unchanged.
    const row = await pool.query<{ status: string }>('SELECT status FROM beads WHERE id = $1', [bead.id]);
    expect(row.rows[0]?.status).toBe('open');
    await cleanup();
  });
});

describe('postgres: concurrent writers', () => {
  it('keeps the blocked cache right when edges and closes race on many connections', async () => {
    const { store, cleanup } = await postgresBeadStore();
    const blockers = await Promise.all(
      Array.from({ length: 6 }, (_, n) => store.create({ prefix: 'gt', title: `blocker ${n}` }, ctx)),
    );
    const waiters = await Promise.all(
      Array.from({ length: 6 }, (_, n) => store.create({ prefix: 'gt', title: `waiter ${n}` }, ctx)),
    );
    // Each waiter gains an edge to its blocker while the blocker closes, all at once.
    await Promise.all(
      waiters.flatMap((w, n) => [
        store.addDependency(w.id, blockers[n]!.id, 'blocks', ctx),
        store.close(blockers[n]!.id, 'done', ctx),
      ]),
    );
    const ready = (await store.ready()).map((b) => b.id).sort();
    expect(ready).toEqual(waiters.map((w) => w.id).sort());
    expect(await store.blocked()).toEqual([]);
    await cleanup();
  });

  it('gives a contended bead to exactly one of many concurrent claimants', async () => {
    const { store, cleanup } = await postgresBeadStore();
    const bead = await store.create({ prefix: 'gt', title: 'prize' }, ctx);
    const claimants = Array.from({ length: 8 }, (_, n) => `rig/polecats/p${n}`);
    const outcomes = await Promise.allSettled(
      claimants.map((who) => store.claim(bead.id, who, { actor: who })),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<{ assignee?: string }>).value.assignee;
    for (const o of outcomes) {
      if (o.status === 'rejected') expect((o.reason as { code: string }).code).toBe('already_claimed');
    }
    expect((await store.require(bead.id)).assignee).toBe(winner);
    await cleanup();
  });

  it('claimNext hands out each ready bead once, in priority order, skipping locked ones', async () => {
    const { store, cleanup } = await postgresBeadStore();
    const low = await store.create({ prefix: 'gt', title: 'low', priority: 3 }, ctx);
    const high = await store.create({ prefix: 'gt', title: 'high', priority: 0 }, ctx);
    const blocker = await store.create(
      { prefix: 'gt', title: 'blocker', priority: 4, assignee: 'mayor' },
      ctx,
    );
    await store.create(
      {
        prefix: 'gt',
        title: 'blocked',
        priority: 0,
        dependencies: [{ type: 'blocks', depends_on_id: blocker.id }],
      },
      ctx,
    );
    expect((await store.claimNext('nux', {}, ctx))?.id).toBe(high.id);
    const rest = await Promise.all([store.claimNext('a', {}, ctx), store.claimNext('b', {}, ctx)]);
    expect(rest.filter((b) => b !== undefined).map((b) => b.id)).toEqual([low.id]);
    expect((await store.require(low.id)).status).toBe('in_progress');
    expect(await store.claimNext('c', {}, ctx)).toBeUndefined();
    await cleanup();
  });
});

describe('postgres: bulk loading', () => {
  it('loads a tracker in a few statements that exports byte for byte, the same as an import', async () => {
    const text = readFixture('gastown-tracker.jsonl') + readFixture('bd-go-encoded.jsonl');
    const { store, pool, cleanup } = await postgresBeadStore();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await bulkInsertBeads(runnerFor(client), parseJsonl(text, 'trackers'));
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const bulk = await store.exportAll();
    const ready = (await store.ready()).map((b) => b.id);
    const blocked = await store.blocked();
    expect(bulk.length).toBeGreaterThan(20);
    const imported = await postgresBeadStore();
    await imported.store.importAll(parseJsonl(text, 'trackers'), ctx);
    expect(toJsonl(bulk)).toBe(toJsonl(await imported.store.exportAll()));
    expect(ready).toEqual((await imported.store.ready()).map((b) => b.id));
    expect(blocked).toEqual(await imported.store.blocked());
    // Loaded many at a time (three flat statements) or one by one, a bead is the same.
    const many = await imported.store.list({ all: true });
    for (const bead of many) expect(await imported.store.require(bead.id)).toEqual(bead);
    await imported.cleanup();
    await cleanup();
  });
});
