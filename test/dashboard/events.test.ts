// The live stream: ledger events as server-sent events whose ids are ledger seqs, resumable with
// Last-Event-ID without loss or repeats, including events other processes append to the database.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/open.js';
import { Ledger } from '../../src/ledger/index.js';
import { ledgerMessages, makeDashboardTown, readSse } from './fixture.js';

describe('the event stream', () => {
  it('sends the ledger from a seq, each event with its seq as id and a readable summary', async () => {
    const t = await makeDashboardTown();
    for (let i = 0; i < 5; i++)
      t.town.ledger.append({
        kind: 'bead.closed',
        actor: 'overseer',
        bead_id: `hq-${i}`,
        payload: { reason: `r${i}` },
      });
    const res = await t.api('/api/events?after=0');
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const head = t.town.ledger.head().seq;
    const messages = ledgerMessages(await readSse(res, (m) => ledgerMessages(m).length >= head));
    expect(messages.map((m) => Number(m.id))).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    const last = JSON.parse(messages.at(-1)!.data) as { kind: string; summary: string; bead_id: string };
    expect(last).toMatchObject({ kind: 'bead.closed', bead_id: 'hq-4', summary: 'closed: r4' });
  });

  it('delivers events appended while connected, in this process and by other processes', async () => {
    const t = await makeDashboardTown();
    const start = t.town.ledger.head().seq;
    const res = await t.api('/api/events');
    const other = new Ledger(openDb(join(t.root, '.gt', 'town.db')));
    setTimeout(() => {
      t.town.ledger.append({ kind: 'town.estop', actor: 'overseer', payload: { scope: 'town' } });
      other.append({ kind: 'town.thaw', actor: 'overseer', payload: { scope: 'town' } });
    }, 50);
    const messages = ledgerMessages(await readSse(res, (m) => ledgerMessages(m).length >= 2));
    other.db.close();
    expect(messages.map((m) => [Number(m.id), (JSON.parse(m.data) as { kind: string }).kind])).toEqual([
      [start + 1, 'town.estop'],
      [start + 2, 'town.thaw'],
    ]);
  });

  it('resumes after Last-Event-ID with nothing lost and nothing repeated', async () => {
    const t = await makeDashboardTown();
    const base = t.town.ledger.head().seq;
    for (let i = 0; i < 1200; i++)
      t.town.ledger.append({ kind: 'test.tick', actor: 'overseer', payload: { i } });
    const first = ledgerMessages(
      await readSse(await t.api(`/api/events?after=${base}`), (m) => ledgerMessages(m).length >= 700),
    );
    const lastId = first.at(-1)!.id!;
    const rest = ledgerMessages(
      await readSse(await t.api('/api/events?after=0', { headers: { 'last-event-id': lastId } }), (m) => {
        const got = ledgerMessages(m);
        return got.length > 0 && Number(got.at(-1)!.id) >= base + 1200;
      }),
    );
    const seqs = [...first, ...rest].map((m) => Number(m.id));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => base + 1 + i));
    expect(seqs.at(-1)).toBe(base + 1200);
  });

  it('refuses a start that is not a seq', async () => {
    const t = await makeDashboardTown();
    expect((await t.api('/api/events?after=abc')).status).toBe(400);
  });
});
