// The polecat's transition table, walked whole on a real town database: every move the table lists
// works through `movePolecat`; every other one throws `illegal_transition` and changes nothing.
// Guards and a stale read lose cleanly, and rows read as a union per state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolecatMove, PolecatState, RawPolecatRow } from '../../../src/roles/polecat/index.js';
import {
  getPolecat,
  movePolecat,
  parsePolecat,
  polecatStates,
  polecatTransitions,
} from '../../../src/roles/polecat/index.js';
import { applyPolecatMove } from '../../../src/roles/polecat/lifecycle.js';
import type { Absent } from '../../../src/roles/transitions.js';
import { absent } from '../../../src/roles/transitions.js';
import type { TownServices } from '../../../src/town/services.js';
import { removeTempDirs } from '../../support/temp.js';
import { expectRefused, lifecycleTown } from './fixture.js';

let town: TownServices;
let names = 0;
beforeAll(async () => {
  town = (await lifecycleTown()).town;
});
afterAll(async () => {
  town.close();
  await removeTempDirs();
});

function seed(state: PolecatState | Absent): { rig: string; name: string } {
  const key = { rig: 'web', name: `p-${++names}` };
  if (state === absent) return key;
  const holds = state !== 'idle';
  town.db
    .prepare(
      `INSERT INTO polecats (rig, name, state, bead_id, branch, worktree, session_id, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL, 'then')`,
    )
    .run(
      key.rig,
      key.name,
      state,
      holds ? 'web-1' : null,
      holds ? 'polecat/x/web-1' : null,
      holds ? '/w' : null,
    );
  return key;
}

function moveTo(to: PolecatState): PolecatMove {
  return to === 'working'
    ? { to, bead_id: 'web-2', branch: 'polecat/x/web-2', worktree: '/w2', session_id: 'ses-1' }
    : { to };
}

const froms: (PolecatState | Absent)[] = [absent, ...polecatStates];
const cases = froms.flatMap((from) => polecatStates.map((to) => ({ from, to })));

describe('polecat lifecycle', () => {
  it.each(cases)('$from → $to', ({ from, to }) => {
    const key = seed(from);
    const row = () =>
      town.db.prepare('SELECT * FROM polecats WHERE rig = ? AND name = ?').get(key.rig, key.name);
    const listed = polecatTransitions[from][to] !== undefined;
    if (from === absent && to !== 'working') {
      // There is no row to move: a missing polecat, not a transition.
      expect(() => movePolecat(town.db, key, moveTo(to))).toThrow(/polecat not found/);
      expect(row()).toBeUndefined();
      return;
    }
    if (!listed) {
      expectRefused(town, row, () => movePolecat(town.db, key, moveTo(to)), { from, to });
      return;
    }
    expect(movePolecat(town.db, key, moveTo(to))).toBe(true);
    const after = getPolecat(town.db, key);
    expect(after?.state).toBe(to);
    if (to === 'idle')
      expect(after).toMatchObject({ bead_id: null, branch: null, worktree: null, session_id: null });
    if (to === 'working')
      expect(after).toMatchObject({ bead_id: 'web-2', worktree: '/w2', session_id: 'ses-1' });
    if (to === 'review' || to === 'stopped')
      expect(after).toMatchObject({ bead_id: 'web-1', worktree: '/w' });
  });

  it('refuses a move recorded by an event that does not record it', () => {
    const key = seed('working');
    expectRefused(
      town,
      () => getPolecat(town.db, key),
      () => movePolecat(town.db, key, { to: 'review' }, { recordedBy: 'merge.merged' }),
      { from: 'working', to: 'review' },
    );
  });

  it('leaves the row alone when the guard does not hold', () => {
    const key = seed('stopped');
    const before = getPolecat(town.db, key);
    expect(movePolecat(town.db, key, { to: 'idle' }, { from: ['review'] })).toBe(false);
    expect(movePolecat(town.db, key, { to: 'idle' }, { beadId: 'web-other' })).toBe(false);
    expect(getPolecat(town.db, key)).toEqual(before);
    expect(movePolecat(town.db, key, { to: 'idle' }, { from: ['stopped'], beadId: 'web-1' })).toBe(true);
  });

  it('loses cleanly when another mover changed the row after it was read', () => {
    const key = seed('working');
    const seen = getPolecat(town.db, key);
    // Another process (say the Deacon) stops it first…
    expect(movePolecat(town.db, key, { to: 'stopped' })).toBe(true);
    const stopped = getPolecat(town.db, key);
    // …so the write of the move decided on the stale read changes nothing.
    expect(applyPolecatMove(town.db, key, seen, { to: 'review' })).toBe(false);
    expect(getPolecat(town.db, key)).toEqual(stopped);
  });

  it('reads rows as a union per state and fails loudly on an impossible one', () => {
    const key = seed('review');
    const raw = town.db
      .prepare('SELECT * FROM polecats WHERE rig = ? AND name = ?')
      .get(key.rig, key.name) as RawPolecatRow;
    const row = parsePolecat(raw);
    if (row.state === 'idle') throw new Error('expected a polecat holding a bead');
    expect(row.worktree).toBe('/w');
    expect(() => parsePolecat({ ...raw, state: 'idle' })).toThrow(/impossible row: idle but holds a bead/);
    expect(() => parsePolecat({ ...raw, worktree: null })).toThrow(
      /review without a bead, branch or worktree/,
    );
    expect(() => parsePolecat({ ...raw, state: 'napping' })).toThrow(/unknown state napping/);
  });
});
