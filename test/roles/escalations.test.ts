// The shared escalation helper: one open row per key with a count, acknowledgement that keeps
// folding, closing that lets the key start over, and a ledger event for every change.
import { afterEach, describe, expect, it } from 'vitest';
import {
  ackEscalation,
  closeEscalation,
  listEscalations,
  raiseEscalation,
} from '../../src/roles/comms/escalations.js';
import type { TownServices } from '../../src/town/services.js';
import { openTownServices } from '../../src/town/services.js';
import { removeTempDirs } from '../support/temp.js';
import { makeTown } from '../support/town.js';

const opened: TownServices[] = [];
afterEach(async () => {
  for (const town of opened.splice(0)) town.close();
  await removeTempDirs();
});

async function town(): Promise<TownServices> {
  const { root } = await makeTown();
  const services = openTownServices(root, { env: process.env });
  opened.push(services);
  return services;
}

function events(
  services: TownServices,
  prefix: string,
): { kind: string; payload: Record<string, unknown> }[] {
  return services.db
    .prepare<[string], { kind: string; payload: string }>(
      'SELECT kind, payload FROM ledger WHERE kind LIKE ? ORDER BY seq',
    )
    .all(`${prefix}%`)
    .map((row) => ({ kind: row.kind, payload: JSON.parse(row.payload) as Record<string, unknown> }));
}

describe('escalations', () => {
  it('folds the same key into one row with a count and the newest summary', async () => {
    const t = await town();
    const first = raiseEscalation(
      t,
      { key: 'deacon.budget:town', kind: 'budget', summary: 'over budget' },
      'deacon',
    );
    const again = raiseEscalation(
      t,
      { key: 'deacon.budget:town', kind: 'budget', summary: 'still over' },
      'deacon',
    );
    const other = raiseEscalation(
      t,
      { key: 'witness.stall:we-1', kind: 'stall_limit', rig: 'web', beadId: 'we-1', summary: 'stalled' },
      'web/witness',
    );
    expect(first).toMatchObject({ count: 1, folded: false, state: 'open' });
    expect(again).toMatchObject({ id: first.id, count: 2, folded: true, summary: 'still over' });
    expect(other.id).not.toBe(first.id);
    expect(listEscalations(t.db).map((e) => [e.key, e.count])).toEqual([
      ['deacon.budget:town', 2],
      ['witness.stall:we-1', 1],
    ]);
    expect(events(t, 'escalation.').map((e) => [e.payload.id, e.payload.count, e.payload.folded])).toEqual([
      [first.id, 1, false],
      [first.id, 2, true],
      [other.id, 1, false],
    ]);
  });

  it('keeps folding into an acknowledged one; after close the key starts a new escalation', async () => {
    const t = await town();
    const input = { key: 'k', kind: 'stall_limit', summary: 's' };
    const raised = raiseEscalation(t, input, 'deacon');
    expect(ackEscalation(t, raised.id, 'overseer').state).toBe('acked');
    expect(ackEscalation(t, raised.id, 'overseer').state).toBe('acked');
    expect(raiseEscalation(t, input, 'deacon')).toMatchObject({ id: raised.id, count: 2, state: 'acked' });
    expect(closeEscalation(t, raised.id, 'overseer').state).toBe('closed');
    expect(() => closeEscalation(t, raised.id, 'overseer')).toThrow(/already closed/);
    expect(() => ackEscalation(t, 999, 'overseer')).toThrow(/escalation not found: 999/);
    const fresh = raiseEscalation(t, input, 'deacon');
    expect(fresh).toMatchObject({ count: 1, folded: false, state: 'open' });
    expect(fresh.id).not.toBe(raised.id);
    expect(listEscalations(t.db).map((e) => e.id)).toEqual([fresh.id]);
    expect(listEscalations(t.db, { all: true }).map((e) => e.state)).toEqual(['closed', 'open']);
    // The second ack changed nothing, so it wrote nothing.
    expect(events(t, 'escalation.').map((e) => e.kind)).toEqual([
      'escalation.raised',
      'escalation.acked',
      'escalation.raised',
      'escalation.closed',
      'escalation.raised',
    ]);
  });
});
