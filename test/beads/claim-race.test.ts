// Claims race across real processes on one real store — a SQLite file, and a PostgreSQL database:
// for every bead exactly one claimant wins, every loser is told `already_claimed` with the winner's
// name, and draining a shared pool claims each bead exactly once. Correctness only: no timing is
// asserted (speed lives in bench/).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BeadStore } from '../../src/beads/index.js';
import { SqliteBeadStore } from '../../src/beads/index.js';
import { openDb } from '../../src/db/open.js';
import { openPool, poolSource } from '../../src/store/index.js';
import { PostgresBeadStore } from '../../src/store/postgres/beads/index.js';
import { beadsSchema } from '../../src/store/postgres/schema/beads.js';
import { freshDatabase } from '../support/postgres.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';
import type { RacerReply, RacerRequest } from './claim-race-protocol.js';
import { Racer } from './claim-race-racer.js';

const ctx = { actor: 'overseer' };

/** A store the racers share: where they connect, and the test's own handle on it. */
interface Field {
  target: string;
  store: BeadStore;
  close: () => Promise<void>;
}

async function sqliteField(): Promise<Field> {
  const file = join(await makeTempDir('gt-claim-race'), 'town.db');
  const store = new SqliteBeadStore(openDb(file), { ownsDb: true });
  return { target: file, store, close: () => store.dispose() };
}

async function postgresField(): Promise<Field> {
  const database = await freshDatabase('claim_race');
  const pool = openPool({ url: database.url, max: 2 });
  await pool.query(beadsSchema);
  const store = new PostgresBeadStore(poolSource(pool), { onDispose: () => pool.end() });
  return {
    target: database.url,
    store,
    close: async () => {
      await store.dispose();
      await database.drop();
    },
  };
}

let field: Field | undefined;
let racers: Racer[] = [];

afterEach(async () => {
  await Promise.allSettled(racers.map((racer) => racer.stop()));
  racers.forEach((racer) => racer.kill());
  racers = [];
  await field?.close();
  field = undefined;
  await removeTempDirs();
});

async function makeBeads(store: BeadStore, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    ids.push((await store.create({ prefix: 'race', title: `contended bead ${n}` }, ctx)).id);
  }
  return ids;
}

async function startRacers(target: string, count: number): Promise<Racer[]> {
  racers = await Promise.all(
    Array.from({ length: count }, (_, n) => Racer.start(target, `rig/polecats/racer-${n + 1}`)),
  );
  return racers;
}

/** Every racer drains with `request`; each bead must be reported once and assigned to its reporter. */
async function drainAll(
  store: BeadStore,
  target: string,
  ids: string[],
  request: RacerRequest,
): Promise<void> {
  const all = await startRacers(target, 4);
  const replies = await Promise.all(all.map((racer) => racer.request(request)));
  const claimedBy = new Map<string, string[]>();
  replies.forEach((reply, n) => {
    expect(reply.kind, JSON.stringify(reply)).toBe('drained');
    if (reply.kind !== 'drained') return;
    for (const id of reply.claimed) claimedBy.set(id, [...(claimedBy.get(id) ?? []), all[n]!.name]);
  });
  const doubles = [...claimedBy].filter(([, names]) => names.length > 1);
  expect(doubles, 'beads reported claimed by more than one process').toEqual([]);
  expect([...claimedBy.keys()].sort()).toEqual([...ids].sort());
  const beads = await store.list({ status: ['in_progress'] });
  expect(beads).toHaveLength(ids.length);
  for (const bead of beads) expect(bead.assignee, bead.id).toBe(claimedBy.get(bead.id)?.[0]);
  expect(await store.ready()).toEqual([]);
}

const backends = [
  { name: 'sqlite', open: sqliteField },
  { name: 'postgres', open: postgresField },
];

describe.each(backends)('$name: claim race across processes', ({ name, open }) => {
  it('gives each bead to exactly one of 5 processes claiming it at once; the others get already_claimed', async () => {
    field = await open();
    const { store } = field;
    const ids = await makeBeads(store, 20);
    const all = await startRacers(field.target, 5);
    for (const id of ids) {
      // All five requests leave together; each racer claims as soon as its request arrives.
      const replies: RacerReply[] = await Promise.all(
        all.map((racer) => racer.request({ kind: 'claim', id })),
      );
      const won = replies.flatMap((reply, n) => (reply.kind === 'claimed' ? [all[n]!.name] : []));
      expect(won, `winners of ${id}`).toHaveLength(1);
      const winner = won[0]!;
      for (const reply of replies) {
        if (reply.kind === 'claimed') {
          expect(reply).toEqual({ kind: 'claimed', id, assignee: winner });
          continue;
        }
        expect(reply.kind, JSON.stringify(reply)).toBe('refused');
        if (reply.kind !== 'refused') continue;
        expect(reply.code).toBe('already_claimed');
        expect(reply.message).toContain(`already claimed by ${winner}`);
      }
      const bead = await store.require(id);
      expect(bead.status).toBe('in_progress');
      expect(bead.assignee).toBe(winner);
    }
    expect(await store.ready()).toEqual([]);
  });

  it('lets 4 processes drain a pool of 200 ready beads with every bead claimed exactly once', async () => {
    field = await open();
    const ids = await makeBeads(field.store, 200);
    await drainAll(field.store, field.target, ids, { kind: 'drain' });
  });

  if (name === 'postgres') {
    it('lets 4 processes drain the pool with claimNext (SKIP LOCKED), every bead claimed exactly once', async () => {
      field = await open();
      const ids = await makeBeads(field.store, 200);
      await drainAll(field.store, field.target, ids, { kind: 'drain-next' });
    });
  }
});
