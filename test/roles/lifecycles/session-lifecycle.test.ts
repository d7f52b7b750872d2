// The session's transition table on a real town database: a session starts running (its polecat
// working on the bead, `session.started`) and ends once, with an outcome; starting it again or
// ending it twice throws `illegal_transition` and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawSessionRow } from '../../../src/roles/polecat/index.js';
import {
  endSession,
  endSessionRow,
  getPolecat,
  getSession,
  parseSession,
  sessionTransitions,
  startSession,
} from '../../../src/roles/polecat/index.js';
import { absent } from '../../../src/roles/transitions.js';
import type { TownServices } from '../../../src/town/services.js';
import { removeTempDirs } from '../../support/temp.js';
import { expectRefused, lastKind, ledgerHead, lifecycleTown } from './fixture.js';

let town: TownServices;
let ids = 0;
beforeAll(async () => {
  town = (await lifecycleTown()).town;
});
afterAll(async () => {
  town.close();
  await removeTempDirs();
});

function start(): string {
  const sessionId = `ses-${++ids}`;
  startSession(town, {
    sessionId,
    span: 'a'.repeat(16),
    rig: 'web',
    polecat: `p-${ids}`,
    beadId: 'web-1',
    runtime: 'script',
    worktree: '/w',
    branch: 'polecat/p/web-1',
  });
  return sessionId;
}

const row = (id: string) => town.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id);

describe('session lifecycle', () => {
  it('lists exactly absent → running and running → ended', () => {
    expect(sessionTransitions[absent]).toEqual({ running: ['session.started'] });
    expect(Object.keys(sessionTransitions.running)).toEqual(['ended']);
    expect(sessionTransitions.ended).toEqual({});
  });

  it('absent → running: the row, its polecat working, and session.started together', () => {
    const head = ledgerHead(town);
    const id = start();
    expect(getSession(town.db, id)).toMatchObject({ state: 'running', outcome: null, ended_at: null });
    expect(getPolecat(town.db, { rig: 'web', name: `p-${ids}` })).toMatchObject({
      state: 'working',
      session_id: id,
    });
    expect(ledgerHead(town)).toBe(head + 1);
    expect(lastKind(town)).toBe('session.started');
  });

  it('running → ended, once', () => {
    const id = start();
    expect(endSessionRow(town.db, id, { outcome: 'crashed', recordedBy: 'deacon.session_expired' })).toBe(
      true,
    );
    expect(getSession(town.db, id)).toMatchObject({ state: 'ended', outcome: 'crashed' });
    expectRefused(
      town,
      () => row(id),
      () => endSessionRow(town.db, id, { outcome: 'success', recordedBy: 'session.ended' }),
      { from: 'ended', to: 'ended' },
    );
    // Asked only if it still runs: a plain no.
    expect(
      endSessionRow(town.db, id, { outcome: 'stalled', recordedBy: 'witness.stopped', ifRunning: true }),
    ).toBe(false);
  });

  it('running → running and ended → running are refused', () => {
    const running = start();
    const startAgain = (sessionId: string) => () =>
      startSession(town, {
        sessionId,
        span: 'b'.repeat(16),
        rig: 'web',
        polecat: 'again',
        beadId: 'web-1',
        runtime: 'script',
        worktree: '/w',
        branch: 'b',
      });
    expectRefused(town, () => row(running), startAgain(running), { from: 'running', to: 'running' });
    endSessionRow(town.db, running, { outcome: 'failure', recordedBy: 'session.ended' });
    expectRefused(town, () => row(running), startAgain(running), { from: 'ended', to: 'running' });
  });

  it('refuses an end recorded by an event that does not end sessions', () => {
    const id = start();
    expectRefused(
      town,
      () => row(id),
      () => endSessionRow(town.db, id, { outcome: 'success', recordedBy: 'merge.merged' }),
      { from: 'running', to: 'ended' },
    );
  });

  it("the session's own end after the Witness ended it keeps the Witness's outcome and says so", () => {
    const id = start();
    endSessionRow(town.db, id, { outcome: 'stalled', recordedBy: 'witness.stopped' });
    const moved = endSession(town, {
      sessionId: id,
      span: 'a'.repeat(16),
      actor: 'web/polecats/p',
      beadId: 'web-1',
      outcome: 'failure',
      summary: 'stopped',
      commit: undefined,
      toolCalls: 0,
      durationMs: 1,
    });
    expect(moved).toBe(false);
    expect(getSession(town.db, id)).toMatchObject({ state: 'ended', outcome: 'stalled' });
    const last = town.db.prepare('SELECT kind, payload FROM ledger ORDER BY seq DESC LIMIT 1').get() as {
      kind: string;
      payload: string;
    };
    expect(last.kind).toBe('session.ended');
    expect(JSON.parse(last.payload)).toMatchObject({ already_ended: 'stalled' });
  });

  it('reads rows as a union per state and fails loudly on an impossible one', () => {
    const raw = row(start()) as RawSessionRow;
    expect(parseSession(raw).state).toBe('running');
    expect(() => parseSession({ ...raw, outcome: 'success' })).toThrow(
      /running but has an end time or an outcome/,
    );
    expect(() => parseSession({ ...raw, state: 'ended' })).toThrow(/ended without an end time or an outcome/);
    expect(() => parseSession({ ...raw, state: 'ended', ended_at: 'now', outcome: 'meh' })).toThrow(
      /unknown outcome meh/,
    );
  });
});
