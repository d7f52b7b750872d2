// Split verification (segments checked apart, Merkle blocks folded into the checkpoints' roots)
// confirms exactly the ledgers the serial verifier confirms: an intact ledger gets the same
// report, and every kind of tampering — also right at a segment or block boundary — is caught by
// the split path itself, after which verifyDatabase reports what the serial verifier says.
// Tiny blocks and three segments make every boundary fall somewhere in a 40-event ledger.
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { sha256Hex } from '../../src/ledger/hash.js';
import {
  createCheckpoint,
  createTownKey,
  listCheckpoints,
  privateKeyFile,
  publicKeyFile,
  verifyDatabase,
  verifyLedger,
} from '../../src/ledger/index.js';
import { rowHash, type LedgerRow } from '../../src/ledger/event.js';
import { iterateRows } from '../../src/ledger/read.js';
import { verifySplit, type SplitOptions } from '../../src/ledger/verify-split.js';
import { makeLedgerTown, type LedgerTown } from '../support/ledger-town.js';

let town: LedgerTown;
afterEach(() => town.cleanup());

const split: SplitOptions = { threads: 3, parallelFrom: 0, blockSize: 4 };

const row = (seq: number) =>
  town.db.prepare<[number], LedgerRow>('SELECT * FROM ledger WHERE seq = ?').get(seq)!;

function inputs(key: KeyObject | undefined) {
  const db = town.db;
  const blobs = db
    .prepare<[], { hash: string; content: Buffer }>('SELECT hash, content FROM ledger_blobs')
    .all();
  const known = new Set(blobs.map((b) => b.hash));
  return {
    checkpoints: listCheckpoints(db),
    ...(key ? { publicKey: key } : {}),
    hasBlob: (hash: string) => known.has(hash),
    blobs: blobs.map((b) => ({ hash: b.hash, actual: sha256Hex(b.content) })),
  };
}

/** `null`: verify without a key. */
const serial = (key: KeyObject | null = town.key.publicKey) =>
  town.db
    .transaction(() => verifyLedger({ rows: iterateRows(town.db), ...inputs(key ?? undefined) }))
    .deferred();
const fast = (key: KeyObject | null = town.key.publicKey) =>
  town.db.transaction(() => verifySplit(town.db, inputs(key ?? undefined), split)).deferred();

/** A 40-event ledger (checkpoints at 13, 16 and 27, at and between boundaries) with one blob. */
function ledger(): void {
  town = makeLedgerTown(11);
  town.ledger.append({ kind: 'tool.output', actor: 'overseer', payload: { output: 'x'.repeat(10_000) } });
  createCheckpoint(town.ledger, town.key, 'overseer');
  town.ledger.append({
    kind: 'quoted',
    actor: 'web/"polecats"/nüx ✓',
    bead_id: 'gt-\\1',
    payload: { s: '\u0000\n' },
  });
  town.ledger.append({ kind: 'x', actor: 'deacon', payload: {} });
  createCheckpoint(town.ledger, town.key, 'overseer');
  for (let i = 0; i < 10; i++)
    town.ledger.append({ kind: 'y', actor: 'deacon', session_id: `s${i}`, payload: { i } });
  createCheckpoint(town.ledger, town.key, 'overseer');
  for (let i = 0; i < 12; i++) town.ledger.append({ kind: 'z', actor: 'deacon', payload: { i } });
}

function relinkFrom(seq: number, change: (row: LedgerRow) => void, after = seq - 1): void {
  let prev = row(after).hash;
  const last = town.db.prepare('SELECT max(seq) FROM ledger').pluck().get() as number;
  for (let s = seq; s <= last; s++) {
    const next = { ...row(s), prev_hash: prev };
    if (s === seq) change(next);
    prev = rowHash(next);
    town.db
      .prepare('UPDATE ledger SET actor = ?, payload = ?, prev_hash = ?, hash = ? WHERE seq = ?')
      .run(next.actor, next.payload, next.prev_hash, prev, s);
  }
}

const swap = (a: number, b: number) => {
  const [x, y] = [row(a), row(b)];
  const move = town.db.prepare(
    'UPDATE ledger SET ts = :ts, kind = :kind, actor = :actor, bead_id = :bead_id, session_id = :session_id, payload = :payload, prev_hash = :prev_hash, hash = :hash WHERE seq = :seq',
  );
  town.db.transaction(() => {
    move.run({ ...y, seq: a });
    move.run({ ...x, seq: b });
  })();
};

const tamperings: Record<string, () => void> = {
  'an edited payload': () => town.db.prepare(`UPDATE ledger SET payload = '{"n":999}' WHERE seq = 5`).run(),
  'an edited actor on the first row of a segment': () =>
    town.db.prepare(`UPDATE ledger SET actor = 'mayor' WHERE seq = 17`).run(),
  'an edited last row': () => town.db.prepare(`UPDATE ledger SET kind = 'w' WHERE seq = 40`).run(),
  'a row rewritten with its own hash': () => {
    const forged = { ...row(20), payload: '{"i":-1}' };
    town.db
      .prepare('UPDATE ledger SET payload = ?, hash = ? WHERE seq = 20')
      .run(forged.payload, rowHash(forged));
  },
  'the first row of a segment rewritten with its own hash': () => {
    const forged = { ...row(33), payload: '{"i":-1}' };
    town.db
      .prepare('UPDATE ledger SET payload = ?, hash = ? WHERE seq = 33')
      .run(forged.payload, rowHash(forged));
  },
  'the last row of a segment rewritten with its own hash, past every checkpoint': () => {
    const forged = { ...row(32), payload: '{"i":-1}' };
    town.db
      .prepare('UPDATE ledger SET payload = ?, hash = ? WHERE seq = 32')
      .run(forged.payload, rowHash(forged));
  },
  'the last row of a segment deleted': () => town.db.prepare('DELETE FROM ledger WHERE seq = 16').run(),
  'the first row deleted': () => town.db.prepare('DELETE FROM ledger WHERE seq = 1').run(),
  'the last row deleted under a checkpoint': () => town.db.prepare('DELETE FROM ledger WHERE seq > 26').run(),
  'rows swapped inside a segment': () => swap(6, 7),
  'rows swapped across a segment boundary': () => swap(16, 17),
  'an extra row at seq 0': () =>
    town.db
      .prepare(
        'INSERT INTO ledger SELECT 0, ts, kind, actor, bead_id, session_id, trace_id, span_id, parent_span_id, payload, prev_hash, hash FROM ledger WHERE seq = 1',
      )
      .run(),
  'a row moved to seq 0': () => town.db.prepare('UPDATE ledger SET seq = 0 WHERE seq = 1').run(),
  'a chain relinked after an edit under a checkpoint': () => relinkFrom(9, (r) => (r.payload = '{"n":-1}')),
  'a chain relinked after an edit inside the last block of a checkpoint': () =>
    relinkFrom(26, (r) => (r.actor = 'mayor')),
  'a row deleted and the chain relinked past every checkpoint': () => {
    town.db.prepare('DELETE FROM ledger WHERE seq = 35').run();
    relinkFrom(36, () => undefined, 34);
  },
  'a checkpoint over the wrong head': () =>
    town.db.prepare(`UPDATE ledger_checkpoints SET head_hash = '${'ab'.repeat(32)}' WHERE size = 16`).run(),
  'a checkpoint over the wrong root': () =>
    town.db.prepare(`UPDATE ledger_checkpoints SET merkle_root = '${'ab'.repeat(32)}' WHERE size = 16`).run(),
  'a forged checkpoint time': () =>
    town.db.prepare(`UPDATE ledger_checkpoints SET time = '2030-01-01T00:00:00.000Z' WHERE size = 27`).run(),
  'an edited blob': () => town.db.prepare('UPDATE ledger_blobs SET content = ?').run(Buffer.from('y')),
  'a missing blob': () => town.db.prepare('DELETE FROM ledger_blobs').run(),
  'a non-text prev_hash': () =>
    town.db.prepare('UPDATE ledger SET prev_hash = CAST(prev_hash AS BLOB) WHERE seq = 30').run(),
  'a stored hash as a blob of its digits': () =>
    town.db.prepare('UPDATE ledger SET hash = CAST(hash AS BLOB) WHERE seq = 30').run(),
  'a stored hash with a character more': () =>
    town.db.prepare(`UPDATE ledger SET hash = hash || 'a' WHERE seq = 30`).run(),
  'a prev_hash with a character more': () =>
    town.db.prepare(`UPDATE ledger SET prev_hash = prev_hash || 'a' WHERE seq = 30`).run(),
  'a stored hash in capitals': () =>
    town.db.prepare('UPDATE ledger SET hash = upper(hash) WHERE seq = 30').run(),
  'a blob actor': () => town.db.prepare('UPDATE ledger SET actor = CAST(actor AS BLOB) WHERE seq = 30').run(),
};

describe('split ledger verification', () => {
  it('confirms an intact ledger with the serial report', () => {
    ledger();
    expect(row(15).actor).toBe('web/"polecats"/nüx ✓');
    const report = serial();
    expect(report).toMatchObject({ ok: true, events: 40, checkpoints: 3 });
    expect(fast()).toEqual(report);
    expect(verifyDatabase(town.db, town.key.publicKey, split)).toEqual(report);
    expect(fast(null)).toEqual(serial(null));
  });

  it('confirms ledgers of every size around the block and segment boundaries', () => {
    town = makeLedgerTown(0);
    for (let size = 2; size <= 26; size++) {
      town.ledger.append({ kind: 'n', actor: 'deacon', payload: { size } });
      if (size % 5 === 0) createCheckpoint(town.ledger, town.key, 'deacon');
      expect(fast(), `size ${size}`).toEqual(serial());
      expect(serial().ok).toBe(true);
    }
  });

  for (const [name, tamper] of Object.entries(tamperings)) {
    // Without a key no signature is checked, so the roots and heads have to catch rewrites.
    for (const key of ['with', 'without'] as const) {
      it(`catches ${name} (${key} the town key) and reports what the serial verifier reports`, () => {
        ledger();
        tamper();
        const publicKey = key === 'with' ? town.key.publicKey : undefined;
        const report = serial(publicKey ?? null);
        let caught: boolean;
        try {
          caught = fast(publicKey ?? null) === undefined;
        } catch {
          caught = true;
        }
        expect(verifyDatabase(town.db, publicKey, split)).toEqual(report);
        if (report.ok) return; // without a key, a forged checkpoint time goes unnoticed by both
        expect(caught).toBe(true);
      });
    }
  }

  it('leaves a row it cannot rebuild to the serial verifier', () => {
    ledger();
    // The serial verifier reads a blob payload as its text, so this one still verifies.
    town.db.prepare('UPDATE ledger SET payload = CAST(payload AS BLOB) WHERE seq = 30').run();
    expect(fast()).toBeUndefined();
    expect(verifyDatabase(town.db, town.key.publicKey, split)).toEqual(serial());
  });

  it('catches a replaced town key', () => {
    ledger();
    const keys = join(town.dir, 'keys');
    rmSync(join(keys, privateKeyFile));
    rmSync(join(keys, publicKeyFile));
    const replacement = createTownKey(keys);
    town.db.prepare('DELETE FROM ledger_checkpoints').run();
    createCheckpoint(town.ledger, replacement, 'overseer');
    expect(fast(replacement.publicKey)).toBeUndefined();
    const report = verifyDatabase(town.db, replacement.publicKey, split);
    expect(report).toEqual(serial(replacement.publicKey));
    expect(report.problem).toMatchObject({ kind: 'key_replaced', seq: 1 });
  });
});
