// Claims race across real processes on one real SQLite file: for every bead exactly one claimant
// wins, every loser is told `already_claimed` with the winner's name, and draining a shared pool
// claims each bead exactly once. Correctness only: no timing is asserted (speed lives in bench/).
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteBeadStore } from '../../src/beads/index.js';
import { openDb } from '../../src/db/open.js';
import type { Db } from '../../src/db/open.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';
import type { RacerReply } from './claim-race-protocol.js';
import { Racer } from './claim-race-racer.js';

const ctx = { actor: 'overseer' };

let db: Db;
let file: string;
let store: SqliteBeadStore;
let racers: Racer[] = [];

beforeEach(async () => {
  file = join(await makeTempDir('gt-claim-race'), 'town.db');
  db = openDb(file);
  store = new SqliteBeadStore(db);
});

afterEach(async () => {
  await Promise.allSettled(racers.map((racer) => racer.stop()));
  racers.forEach((racer) => racer.kill());
  racers = [];
  db.close();
  await removeTempDirs();
});

async function makeBeads(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    ids.push((await store.create({ prefix: 'race', title: `contended bead ${n}` }, ctx)).id);
  }
  return ids;
}

async function startRacers(count: number): Promise<Racer[]> {
  racers = await Promise.all(
    Array.from({ length: count }, (_, n) => Racer.start(file, `rig/polecats/racer-${n + 1}`)),
  );
  return racers;
}

function assignee(id: string): string | null | undefined {
  return db.prepare<[string], { assignee: string | null }>('SELECT assignee FROM beads WHERE id = ?').get(id)
    ?.assignee;
}

describe('claim race across processes', () => {
  it('gives each bead to exactly one of 5 processes claiming it at once; the others get already_claimed', async () => {
    const ids = await makeBeads(20);
    const all = await startRacers(5);
    const winners = new Set<string>();
    for (const id of ids) {
      // All five requests leave together; each racer claims as soon as its request arrives.
      const replies: RacerReply[] = await Promise.all(
        all.map((racer) => racer.request({ kind: 'claim', id })),
      );
      const won = replies.flatMap((reply, n) => (reply.kind === 'claimed' ? [all[n]!.name] : []));
      expect(won, `winners of ${id}`).toHaveLength(1);
      const winner = won[0]!;
      winners.add(winner);
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
    const ids = await makeBeads(200);
    const all = await startRacers(4);
    const replies = await Promise.all(all.map((racer) => racer.request({ kind: 'drain' })));
    const claimedBy = new Map<string, string[]>();
    replies.forEach((reply, n) => {
      expect(reply.kind, JSON.stringify(reply)).toBe('drained');
      if (reply.kind !== 'drained') return;
      for (const id of reply.claimed) claimedBy.set(id, [...(claimedBy.get(id) ?? []), all[n]!.name]);
    });
    const doubles = [...claimedBy].filter(([, names]) => names.length > 1);
    expect(doubles, 'beads reported claimed by more than one process').toEqual([]);
    expect([...claimedBy.keys()].sort()).toEqual([...ids].sort());
    for (const [id, names] of claimedBy) expect(assignee(id), id).toBe(names[0]);
    expect(await store.ready()).toEqual([]);
  });
});
