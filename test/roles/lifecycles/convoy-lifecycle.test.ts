// The convoy's transition table on a real town database: open → launched → landed (or straight to
// landed), each with its event; every other move throws `illegal_transition` and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConvoyState, RawConvoyRow } from '../../../src/roles/convoy/index.js';
import {
  convoyStates,
  convoyTransitions,
  insertConvoy,
  moveConvoy,
  parseConvoy,
  requireConvoy,
} from '../../../src/roles/convoy/index.js';
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

function seed(state: ConvoyState): string {
  const id = `cv-${++ids}`;
  town.db
    .prepare(
      `INSERT INTO convoys (id, name, state, created_at, launched_at, landed_at) VALUES (?, 'c', ?, 'then', ?, ?)`,
    )
    .run(id, state, state === 'open' ? null : 'then', state === 'landed' ? 'then' : null);
  return id;
}

const cases = convoyStates.flatMap((from) => (['launched', 'landed'] as const).map((to) => ({ from, to })));

describe('convoy lifecycle', () => {
  it.each(cases)('$from → $to', ({ from, to }) => {
    const id = seed(from);
    const kind = to === 'launched' ? 'convoy.launched' : 'convoy.landed';
    const move = () => moveConvoy(town, id, { to, event: () => ({ kind, actor: 'mayor', payload: { id } }) });
    if (convoyTransitions[from][to] === undefined) {
      expectRefused(town, () => requireConvoy(town.db, id), move, { from, to });
      return;
    }
    const head = ledgerHead(town);
    expect(move()).toBe(true);
    expect(requireConvoy(town.db, id).state).toBe(to);
    expect(ledgerHead(town)).toBe(head + 1);
    expect(lastKind(town)).toBe(kind);
  });

  it('no move leads back to open', () => {
    for (const from of convoyStates) expect(convoyTransitions[from].open).toBeUndefined();
  });

  it('creates a convoy open with convoy.created only', () => {
    insertConvoy(town, { id: 'cv-new', name: 'n' }, { kind: 'convoy.created', actor: 'mayor', payload: {} });
    expect(requireConvoy(town.db, 'cv-new').state).toBe('open');
    expectRefused(
      town,
      () => town.db.prepare('SELECT count(*) FROM convoys').pluck().get(),
      () =>
        insertConvoy(
          town,
          { id: 'cv-bad', name: 'n' },
          { kind: 'convoy.landed', actor: 'mayor', payload: {} },
        ),
      { from: 'absent', to: 'open' },
    );
  });

  it('a guard that does not hold writes nothing', () => {
    const id = seed('launched');
    const head = ledgerHead(town);
    const moved = moveConvoy(town, id, {
      to: 'launched',
      from: ['open'],
      event: () => ({ kind: 'convoy.launched', actor: 'mayor', payload: {} }),
    });
    expect(moved).toBe(false);
    expect(ledgerHead(town)).toBe(head);
  });

  it('reads rows as a union per state and fails loudly on an impossible one', () => {
    const raw = town.db.prepare('SELECT * FROM convoys WHERE id = ?').get(seed('launched')) as RawConvoyRow;
    const convoy = parseConvoy(raw);
    if (convoy.state !== 'launched') throw new Error('expected launched');
    expect(convoy.launched_at).toBe('then');
    expect(() => parseConvoy({ ...raw, launched_at: null })).toThrow(/launched without a launch time/);
    expect(() => parseConvoy({ ...raw, state: 'landed' })).toThrow(/landed without a landing time/);
    expect(() => parseConvoy({ ...raw, state: 'open' })).toThrow(/open but launched/);
  });
});
