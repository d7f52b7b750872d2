// Stalls: a working polecat whose heartbeat is older than `stall_after_seconds` is nudged, stopped one
// silent period later (its process group killed) and its bead re-dispatched; past `max_redispatch`
// the Overseer gets an escalation instead. The clock is the Witness's own, so nothing here sleeps
// through a stall period: stale heartbeats are written into the database.
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { stallDecision } from '../../src/roles/witness/witness-stall.js';
import { Witness } from '../../src/roles/witness/witness.js';
import { recordingMergeQueue } from '../../src/roles/witness/witness-queue.js';
import type { TownServices } from '../../src/town/services.js';
import { openTownServices } from '../../src/town/services.js';
import { gtBin } from '../support/cli.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

const opened: TownServices[] = [];
afterEach(async () => {
  for (const town of opened.splice(0)) town.close();
  await removeTempDirs();
});

const minute = 60_000;
const t0 = new Date('2030-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

function patrol(
  town: RigTown,
  clock: { now: Date },
  settings = {},
): { services: TownServices; witness: Witness } {
  const services = openTownServices(town.root, { env: process.env });
  opened.push(services);
  const witness = new Witness({
    town: services,
    root: town.root,
    rig: 'web',
    queue: recordingMergeQueue(),
    now: () => clock.now,
    settings: { stall_after_seconds: 600, ...settings },
  });
  return { services, witness };
}

function witnessKinds(services: TownServices, bead: string): string[] {
  return services.db
    .prepare<[string], { kind: string }>(
      `SELECT kind FROM ledger WHERE bead_id = ? AND kind LIKE 'witness.%' ORDER BY seq`,
    )
    .all(bead)
    .map((row) => row.kind);
}

describe('stallDecision', () => {
  it('nudges, waits, stops, and nudges afresh after new activity', () => {
    const stallMs = 10 * minute;
    const decide = (now: number, heartbeat: number, nudge?: number) =>
      stallDecision({
        now: at(now),
        heartbeat: at(heartbeat),
        lastNudge: nudge === undefined ? undefined : at(nudge),
        stallMs,
      });
    expect(decide(9 * minute, 0)).toBe('healthy');
    expect(decide(10 * minute, 0)).toBe('nudge');
    expect(decide(15 * minute, 0, 10 * minute)).toBe('waiting');
    expect(decide(20 * minute, 0, 10 * minute)).toBe('stop');
    expect(decide(25 * minute, 12 * minute, 10 * minute)).toBe('nudge');
    expect(decide(21 * minute, 12 * minute, 10 * minute)).toBe('healthy');
  });
});

describe('the Witness and stalled polecats', () => {
  it('nudges a silent session, then kills it and re-dispatches its bead', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Hang forever', ['sleep 300']);
    // Its own process group, as under a shell, so nothing of it can outlive the test unnoticed.
    const child = execa('node', [gtBin, '--town', town.root, 'sling', bead, 'web'], {
      reject: false,
      detached: true,
    });
    const clock = { now: new Date() };
    const { services, witness } = patrol(town, clock);
    const session = services.db.prepare<[string], { id: string; pid: number; pgid: number | null }>(
      'SELECT id, pid, pgid FROM sessions WHERE bead_id = ?',
    );
    let row = session.get(bead);
    while (row === undefined || row.pgid === null || row.pgid === row.pid) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      row = session.get(bead);
    }
    const stale = new Date(clock.now.getTime() - 60 * minute).toISOString();
    services.db.prepare('UPDATE sessions SET heartbeat_at = ? WHERE id = ?').run(stale, row.id);

    expect((await witness.tick()).actions).toEqual([
      { type: 'nudged', polecat: 'furiosa', beadId: bead, sessionId: row.id },
    ]);
    expect((await witness.tick()).actions).toEqual([]);
    clock.now = new Date(clock.now.getTime() + 10 * minute);
    expect((await witness.tick()).actions).toEqual([
      { type: 'stopped', polecat: 'furiosa', beadId: bead, sessionId: row.id, killed: true },
      { type: 'redispatched', polecat: 'furiosa', beadId: bead, round: 1 },
    ]);
    const sling = await child;
    expect(sling.exitCode).toBe(4);
    const [shown] = JSON.parse(await town.ok('--json', 'bd', 'show', bead)) as {
      status: string;
      assignee?: string;
      comments: { author: string; text: string }[];
    }[];
    expect(shown!.status).toBe('open');
    expect(shown!.assignee).toBeUndefined();
    expect(shown!.comments.map((c) => c.text).join('\n')).toContain('polecat furiosa was silent for 4200 s');
    expect(JSON.parse(await town.ok('--json', 'polecat', 'list'))).toMatchObject([
      { name: 'furiosa', state: 'stopped' },
    ]);
    expect(services.db.prepare('SELECT state FROM sessions WHERE id = ?').pluck().get(row.id)).toBe('ended');
    expect(witnessKinds(services, bead)).toEqual([
      'witness.nudged',
      'witness.stopped',
      'witness.redispatched',
    ]);
    // The bead is ready again: the convoy dispatcher (or a sling) takes it from here.
    expect(await town.ok('bd', 'ready')).toContain(bead);
  });

  it('escalates instead of re-dispatching past max_redispatch', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Slow', ['true']);
    const clock = { now: t0 };
    const { services, witness } = patrol(town, clock, { max_redispatch: 1 });
    const putToWork = async (sessionId: string, heartbeat: Date) => {
      await town.ok('--actor', 'web/polecats/nux', 'bd', 'update', bead, '--claim');
      services.db
        .prepare(
          `INSERT INTO sessions (id, rig, polecat, bead_id, runtime, state, started_at, heartbeat_at)
           VALUES (?, 'web', 'nux', ?, 'script', 'running', ?, ?)`,
        )
        .run(sessionId, bead, heartbeat.toISOString(), heartbeat.toISOString());
      services.db
        .prepare(
          `INSERT OR REPLACE INTO polecats (rig, name, state, bead_id, branch, worktree, session_id, updated_at)
           VALUES ('web', 'nux', 'working', ?, ?, '/nowhere/nux', ?, ?)`,
        )
        .run(bead, `polecat/nux/${bead}`, sessionId, heartbeat.toISOString());
    };

    await putToWork('ses-first', t0);
    clock.now = at(10 * minute);
    expect((await witness.tick()).actions).toMatchObject([{ type: 'nudged', sessionId: 'ses-first' }]);
    clock.now = at(20 * minute);
    expect((await witness.tick()).actions).toMatchObject([
      { type: 'stopped', sessionId: 'ses-first', killed: false },
      { type: 'redispatched', round: 1 },
    ]);

    await putToWork('ses-second', at(20 * minute));
    clock.now = at(30 * minute);
    expect((await witness.tick()).actions).toMatchObject([{ type: 'nudged', sessionId: 'ses-second' }]);
    // It answered: a heartbeat after the nudge means a fresh nudge next time, not a stop.
    services.db
      .prepare('UPDATE sessions SET heartbeat_at = ? WHERE id = ?')
      .run(at(35 * minute).toISOString(), 'ses-second');
    clock.now = at(44 * minute);
    expect((await witness.tick()).actions).toEqual([]);
    clock.now = at(45 * minute);
    expect((await witness.tick()).actions).toMatchObject([{ type: 'nudged', sessionId: 'ses-second' }]);
    clock.now = at(55 * minute);
    const report = await witness.tick();
    expect(report.actions).toMatchObject([
      { type: 'stopped', sessionId: 'ses-second' },
      { type: 'escalated', reason: 'stalled', count: 1 },
    ]);
    const [shown] = JSON.parse(await town.ok('--json', 'bd', 'show', bead)) as {
      status: string;
      labels: string[];
    }[];
    expect(shown).toMatchObject({ status: 'blocked', labels: ['gt:escalated'] });
    const escalations = JSON.parse(await town.ok('--json', 'escalate', 'list')) as {
      key: string;
      kind: string;
    }[];
    expect(escalations).toMatchObject([{ key: `witness.stall:${bead}`, kind: 'stall_limit' }]);
    expect(services.db.prepare(`SELECT outcome FROM sessions WHERE id = 'ses-second'`).pluck().get()).toBe(
      'stalled',
    );
  });
});
