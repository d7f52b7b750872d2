// Two processes make the same move at once, on their own connections to one town database: for
// every lifecycle exactly one wins; the other loses cleanly (false) or is refused with
// `illegal_transition`, and the row and the ledger show one move.
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TownServices } from '../../../src/town/services.js';
import { removeTempDirs } from '../../support/temp.js';
import { lifecycleTown } from './fixture.js';
import type { RaceReply, RaceRequest } from './race-mover.js';

const moverFile = fileURLToPath(new URL('./race-mover.ts', import.meta.url));

class Mover {
  private waiting: ((reply: RaceReply) => void)[] = [];
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (raw: unknown) => {
      if (typeof raw === 'object' && raw !== null && 'ready' in raw) return;
      this.waiting.shift()?.(raw as RaceReply);
    });
  }

  static start(file: string): Promise<Mover> {
    const child = fork(moverFile, [file], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve(new Mover(child)));
      child.once('exit', (code) => reject(new Error(`mover exited with ${code ?? 'a signal'}`)));
    });
  }

  move(request: RaceRequest): Promise<RaceReply> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.send(request);
    });
  }

  stop(): void {
    this.child.disconnect();
  }
}

let town: TownServices;
let movers: Mover[] = [];
beforeAll(async () => {
  town = (await lifecycleTown()).town;
  movers = await Promise.all([Mover.start(town.paths.db), Mover.start(town.paths.db)]);
}, 60_000);
afterAll(async () => {
  for (const mover of movers) mover.stop();
  town.close();
  await removeTempDirs();
});

const rounds = 5;

async function race(request: (round: number) => RaceRequest): Promise<RaceReply[][]> {
  const results: RaceReply[][] = [];
  for (let round = 0; round < rounds; round++) {
    const made = request(round);
    results.push(await Promise.all(movers.map((mover) => mover.move(made))));
  }
  return results;
}

function oneWinner(replies: RaceReply[], loser: RaceReply[]): void {
  const won = replies.filter((r) => 'moved' in r && r.moved);
  expect(won).toHaveLength(1);
  expect(loser).toContainEqual(replies.find((r) => !('moved' in r && r.moved)));
}

const eventsOf = (kind: string) =>
  town.db.prepare('SELECT count(*) FROM ledger WHERE kind = ?').pluck().get(kind) as number;

describe('two movers, one winner', () => {
  it('merge request: two Refineries take the same queued request', async () => {
    const ids: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const result = town.db
        .prepare(
          `INSERT INTO merge_requests (rig, bead_id, polecat, branch, head_commit, state, attempts, created_at, updated_at)
           VALUES ('web', ?, 'nux', 'b', ?, 'queued', 0, 'then', 'then')`,
        )
        .run(`web-${i}`, String(i).padStart(40, '0'));
      ids.push(Number(result.lastInsertRowid));
    }
    const results = await race((round) => ({ lifecycle: 'merge_request', id: ids[round]! }));
    for (const replies of results) oneWinner(replies, [{ moved: false }]);
    for (const id of ids) {
      expect(town.db.prepare('SELECT state, attempts FROM merge_requests WHERE id = ?').get(id)).toEqual({
        state: 'merging',
        attempts: 1,
      });
    }
    expect(eventsOf('merge.started')).toBe(rounds);
  });

  it('session: two enders of one running session', async () => {
    for (let i = 0; i < rounds; i++) {
      town.db
        .prepare(
          `INSERT INTO sessions (id, rig, polecat, bead_id, runtime, state, started_at, heartbeat_at)
           VALUES (?, 'web', 'nux', 'web-1', 'script', 'running', 'then', 'then')`,
        )
        .run(`ses-race-${i}`);
    }
    const results = await race((round) => ({ lifecycle: 'session', id: `ses-race-${round}` }));
    // The loser saw it ended (illegal: ended → ended) or lost the conditional write (false).
    for (const replies of results) oneWinner(replies, [{ moved: false }, { code: 'illegal_transition' }]);
    const ended = town.db.prepare(
      `SELECT count(*) FROM sessions WHERE id LIKE 'ses-race-%' AND state = 'ended'`,
    );
    expect(ended.pluck().get()).toBe(rounds);
  });

  it('polecat: two slings hold the same free name', async () => {
    const results = await race((round) => ({
      lifecycle: 'polecat',
      rig: 'web',
      name: `race-${round}`,
      bead: `web-${round}`,
    }));
    for (const replies of results) oneWinner(replies, [{ moved: false }]);
    const held = town.db.prepare(
      `SELECT count(*) FROM polecats WHERE name LIKE 'race-%' AND state = 'working'`,
    );
    expect(held.pluck().get()).toBe(rounds);
  });

  it('convoy: two dispatchers land the same convoy', async () => {
    for (let i = 0; i < rounds; i++) {
      town.db
        .prepare(
          `INSERT INTO convoys (id, name, state, created_at, launched_at) VALUES (?, 'c', 'launched', 'then', 'then')`,
        )
        .run(`cv-race-${i}`);
    }
    const before = eventsOf('convoy.landed');
    const results = await race((round) => ({ lifecycle: 'convoy', id: `cv-race-${round}` }));
    for (const replies of results) oneWinner(replies, [{ moved: false }, { code: 'illegal_transition' }]);
    expect(eventsOf('convoy.landed') - before).toBe(rounds);
  });
});
