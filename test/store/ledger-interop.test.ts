// The repository and the sync Ledger write one chain: on a SQLite town file they append in turns
// and each verifier accepts the other's events; on PostgreSQL the same inputs give byte-identical
// rows and hashes to the sync Ledger's on SQLite. PostgreSQL's head row also names a ledger cut
// short where no checkpoint covers the loss.
import { describe, expect, it } from 'vitest';
import { Ledger, verifyDatabase, type LedgerEventInput } from '../../src/ledger/index.js';
import { openDb } from '../../src/db/open.js';
import { LedgerRepository } from '../../src/store/ledger/index.js';
import { openLedgerBackend } from './ledger-backends.js';

const inputs: LedgerEventInput[] = [
  { kind: 'town.installed', actor: 'overseer', ts: '2026-12-07T10:00:00.000Z', payload: { key_id: 'k1' } },
  {
    kind: 'bead.created',
    actor: 'mayor',
    bead_id: 'gt-a1',
    span_id: 's1',
    ts: '2026-12-07T10:00:01.000Z',
    payload: { title: 'Ünïcødé "quotes" \\ and \n newlines \u0001', tags: ['x', 1, true, null], n: 1.5e-7 },
  },
  {
    kind: 'tool.result',
    actor: 'web/polecats/nux',
    session_id: 'ses-1',
    parent_span_id: 's1',
    ts: '2026-12-07T10:00:02.000Z',
    payload: { output: '😀'.repeat(3000) },
  },
];

describe('one chain for the sync Ledger and the repository', () => {
  it('on one SQLite file, each verifies what the other appended', async () => {
    const store = await openLedgerBackend('sqlite');
    const db = openDb(store.where);
    const sync = new Ledger(db);
    const repo = new LedgerRepository(store.source);
    sync.append(inputs[0]!);
    await repo.append(inputs[1]!);
    sync.append(inputs[2]!);
    await repo.appendMany([inputs[0]!, inputs[1]!]);
    expect(verifyDatabase(db, undefined)).toMatchObject({ ok: true, events: 5 });
    expect(await repo.verify()).toMatchObject({ ok: true, events: 5, head_hash: sync.head().hash });
    db.close();
    await store.close();
  });

  it('on PostgreSQL, the same inputs hash to the same chain as on SQLite', async () => {
    const sqlite = await openLedgerBackend('sqlite');
    const db = openDb(sqlite.where);
    const expected = inputs.map((input) => new Ledger(db).append(input));
    const pg = await openLedgerBackend('postgres');
    const repo = new LedgerRepository(pg.source);
    const got = [];
    for (const input of inputs) got.push(await repo.append(input));
    expect(got).toEqual(expected);
    const rows = (table: 'ledger' | 'ledger_blobs', backend: typeof pg) =>
      backend.raw.all(
        table === 'ledger' ? 'SELECT * FROM ledger ORDER BY seq' : 'SELECT * FROM ledger_blobs',
      );
    expect(await rows('ledger', pg)).toEqual(await rows('ledger', sqlite));
    expect(await rows('ledger_blobs', pg)).toEqual(await rows('ledger_blobs', sqlite));
    expect(await repo.verify()).toMatchObject({ ok: true, events: 3, head_hash: expected[2]!.hash });
    db.close();
    await sqlite.close();
    await pg.close();
  });

  it(
    'on PostgreSQL, every character in every field hashes as the core hashes it',
    { timeout: 180_000 },
    async () => {
      const chars: string[] = [];
      // NUL is the one character PostgreSQL text cannot hold (the payload holds it escaped); 512 at a
      // time, as an indexed column (actor, bead_id, …) holds at most ~2.7 kB in a PostgreSQL btree.
      for (let code = 1; code < 0x10000; code++)
        if (code < 0xd800 || code >= 0xe000) chars.push(String.fromCharCode(code));
      chars.push('\u{1f600}', '\u{10ffff}');
      const fields = [
        'kind',
        'actor',
        'bead_id',
        'session_id',
        'trace_id',
        'span_id',
        'parent_span_id',
        'ts',
      ] as const;
      const all: LedgerEventInput[] = [];
      for (let start = 0; start < chars.length; start += 512) {
        const text = 'a' + chars.slice(start, start + 512).join('') + 'z';
        for (const field of fields) {
          const input: LedgerEventInput = {
            kind: 'k',
            actor: 'a',
            ts: '2026-12-07T10:00:00.000Z',
            payload: { text: `\u0000${text}` },
          };
          input[field] = text;
          all.push(input);
        }
      }
      const sqlite = await openLedgerBackend('sqlite');
      const db = openDb(sqlite.where);
      const sync = new Ledger(db, { blobThreshold: 1_000_000 });
      const pg = await openLedgerBackend('postgres');
      const repo = new LedgerRepository(pg.source, { blobThreshold: 1_000_000 });
      for (const input of all) expect(await repo.append(input)).toEqual(sync.append(input));
      expect(await repo.verify()).toMatchObject({ ok: true, events: all.length });
      db.close();
      await sqlite.close();
      await pg.close();
    },
  );

  it('on PostgreSQL, the head row names the last events deleted without a checkpoint', async () => {
    const pg = await openLedgerBackend('postgres');
    const repo = new LedgerRepository(pg.source);
    for (const input of inputs) await repo.append(input);
    await pg.raw.run('DELETE FROM ledger WHERE seq = 3');
    expect((await repo.verify()).problem).toMatchObject({ kind: 'truncated', seq: 3 });
    // An attacker who also moves the head row back is left to the checkpoints (contract suite).
    await pg.raw.run('UPDATE ledger_head SET seq = 2, hash = (SELECT hash FROM ledger WHERE seq = 2)');
    expect(await repo.verify()).toMatchObject({ ok: true, events: 2 });
    // And appends continue from where the head row points.
    expect((await repo.append(inputs[0]!)).seq).toBe(3);
    await pg.close();
  });
});
