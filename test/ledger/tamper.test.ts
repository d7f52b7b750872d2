// Every way of tampering with a ledger is caught by verification, which names the first bad seq:
// edits, deletions, reordering, rewrites, truncation after a checkpoint, forged checkpoints and a
// replaced town key.
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  createCheckpoint,
  createTownKey,
  privateKeyFile,
  publicKeyFile,
  verifyDatabase,
} from '../../src/ledger/index.js';
import { rowHash, type LedgerRow } from '../../src/ledger/event.js';
import { makeLedgerTown, type LedgerTown } from '../support/ledger-town.js';

let town: LedgerTown;
afterEach(() => town.cleanup());

const row = (seq: number) =>
  town.db.prepare<[number], LedgerRow>('SELECT * FROM ledger WHERE seq = ?').get(seq)!;

describe('ledger verification', () => {
  it('accepts an intact ledger with checkpoints', () => {
    town = makeLedgerTown(20);
    createCheckpoint(town.ledger, town.key, 'overseer');
    town.ledger.append({ kind: 'after', actor: 'deacon', payload: {} });
    const report = town.verify();
    expect(report).toMatchObject({ ok: true, events: 23, checkpoints: 1, key_id: town.key.keyId });
    expect(report.problem).toBeUndefined();
  });

  it('names an edited event', () => {
    town = makeLedgerTown(10);
    town.db.prepare(`UPDATE ledger SET payload = '{"n":999}' WHERE seq = 5`).run();
    expect(town.verify()).toMatchObject({ ok: false, problem: { kind: 'edited', seq: 5 } });
  });

  it('names an edited actor or kind, not only payloads', () => {
    town = makeLedgerTown(10);
    town.db.prepare(`UPDATE ledger SET actor = 'mayor' WHERE seq = 7`).run();
    expect(town.verify().problem).toMatchObject({ kind: 'edited', seq: 7 });
  });

  it('names an event rewritten together with its own hash', () => {
    town = makeLedgerTown(10);
    const original = row(4);
    const forged = { ...original, payload: '{"n":0}' };
    town.db
      .prepare('UPDATE ledger SET payload = ?, hash = ? WHERE seq = 4')
      .run(forged.payload, rowHash(forged));
    expect(town.verify().problem).toMatchObject({ kind: 'rewritten', seq: 4 });
  });

  it('names a deleted event', () => {
    town = makeLedgerTown(10);
    town.db.prepare('DELETE FROM ledger WHERE seq IN (6, 7)').run();
    expect(town.verify().problem).toMatchObject({ kind: 'missing', seq: 6 });
    expect(town.verify().problem?.message).toContain('6..7');
  });

  it('names reordered events', () => {
    town = makeLedgerTown(10);
    const a = row(4);
    const b = row(5);
    const move = town.db.prepare(
      'UPDATE ledger SET ts = :ts, kind = :kind, actor = :actor, bead_id = :bead_id, trace_id = :trace_id, payload = :payload, prev_hash = :prev_hash, hash = :hash WHERE seq = :seq',
    );
    town.db.transaction(() => {
      move.run({ ...b, seq: 4 });
      move.run({ ...a, seq: 5 });
    })();
    expect(town.verify().problem).toMatchObject({ kind: 'reordered', seq: 4 });
  });

  it('names truncation after a checkpoint', () => {
    town = makeLedgerTown(10);
    createCheckpoint(town.ledger, town.key, 'overseer');
    town.db.prepare('DELETE FROM ledger WHERE seq > 8').run();
    expect(town.verify().problem).toMatchObject({ kind: 'truncated', seq: 9 });
  });

  it('names a chain rewritten from scratch when a checkpoint covers it', () => {
    town = makeLedgerTown(10);
    createCheckpoint(town.ledger, town.key, 'overseer');
    // Rewrite seq 3 and relink everything after it: the chain is consistent again.
    let prev = row(2).hash;
    for (let seq = 3; seq <= 12; seq++) {
      const next = { ...row(seq), prev_hash: prev };
      if (seq === 3) next.payload = '{"n":-1}';
      const hash = rowHash(next);
      town.db
        .prepare('UPDATE ledger SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?')
        .run(next.payload, prev, hash, seq);
      prev = hash;
    }
    expect(town.verify().problem).toMatchObject({ kind: 'rewritten', seq: 11 });
  });

  it('names a forged checkpoint', () => {
    town = makeLedgerTown(5);
    createCheckpoint(town.ledger, town.key, 'overseer');
    town.db.prepare(`UPDATE ledger_checkpoints SET time = '2030-01-01T00:00:00.000Z'`).run();
    expect(town.verify().problem).toMatchObject({ kind: 'forged_checkpoint' });
    const other = createTownKey(join(town.dir, 'other-keys'));
    expect(verifyDatabase(town.db, other.publicKey).problem).toMatchObject({ kind: 'forged_checkpoint' });
  });

  it('names a replaced town key even when every checkpoint is re-signed with it', () => {
    town = makeLedgerTown(5);
    createCheckpoint(town.ledger, town.key, 'overseer');
    const keys = join(town.dir, 'keys');
    rmSync(join(keys, privateKeyFile));
    rmSync(join(keys, publicKeyFile));
    const replacement = createTownKey(keys);
    town.db.prepare('DELETE FROM ledger_checkpoints').run();
    createCheckpoint(town.ledger, replacement, 'overseer');
    const report = verifyDatabase(town.db, replacement.publicKey);
    expect(report.problem).toMatchObject({ kind: 'key_replaced', seq: 1 });
    expect(report.problem?.message).toContain(town.key.keyId);
  });

  it('names an edited or missing blob', () => {
    town = makeLedgerTown(2);
    town.ledger.append({ kind: 'tool.output', actor: 'overseer', payload: { output: 'x'.repeat(10_000) } });
    expect(town.verify().ok).toBe(true);
    town.db.prepare(`UPDATE ledger_blobs SET content = ?`).run(Buffer.from('y'.repeat(10_000)));
    expect(town.verify().problem).toMatchObject({ kind: 'blob_edited' });
    town.db.prepare('DELETE FROM ledger_blobs').run();
    expect(town.verify().problem).toMatchObject({ kind: 'blob_missing', seq: 4 });
  });
});
