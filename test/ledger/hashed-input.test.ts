// The bytes split verification hashes are built by SQLite (hashedInputSql); they must be exactly
// prev_hash + hashedBody(row) for whatever a row holds — every character in every field, absent
// and present optional fields, invalid UTF-8 written behind the ledger's back — or be NULL (or
// fail) so that the row is rebuilt the usual way. A row where they differ would let a verifier
// accept a hash that the serial verifier rejects.
import { afterEach, describe, expect, it } from 'vitest';
import { hashedBody, hashedInputSql, type LedgerRow } from '../../src/ledger/event.js';
import { makeLedgerTown, type LedgerTown } from '../support/ledger-town.js';

let town: LedgerTown;
afterEach(() => town.cleanup());

const columns = [
  'ts',
  'kind',
  'actor',
  'bead_id',
  'session_id',
  'trace_id',
  'span_id',
  'parent_span_id',
] as const;

function sqlInput(seq: number): string | null {
  return town.db
    .prepare<[number], string | null>(`SELECT ${hashedInputSql} FROM ledger WHERE seq = ?`)
    .pluck()
    .get(seq)!;
}

function jsInput(seq: number): string {
  const row = town.db.prepare<[number], LedgerRow>('SELECT * FROM ledger WHERE seq = ?').get(seq)!;
  return row.prev_hash + hashedBody(row);
}

describe('the SQL-built hash input', () => {
  it('is prev_hash + hashedBody for every character in every text field', () => {
    town = makeLedgerTown(1);
    const set = town.db.prepare(
      `UPDATE ledger SET ${columns.map((c) => `${c} = :${c}`).join(', ')} WHERE seq = :seq`,
    );
    const chars: string[] = [];
    for (let code = 0; code < 0x10000; code++)
      if (code < 0xd800 || code >= 0xe000) chars.push(String.fromCharCode(code));
    chars.push('\u{1f600}', '\u{10ffff}');
    // Every character in every field, 512 at a time between plain ones.
    for (let start = 0; start < chars.length; start += 512) {
      const text = 'a' + chars.slice(start, start + 512).join('') + 'z';
      for (const [i, column] of columns.entries()) {
        const values = Object.fromEntries(columns.map((c, j) => [c, j === i ? text : `v${j}`]));
        set.run({ ...values, seq: 2 });
        expect(sqlInput(2), `${column}, characters from U+${start.toString(16)}`).toBe(jsInput(2));
      }
    }
  });

  it('leaves absent optional fields out, as hashedBody does', () => {
    town = makeLedgerTown(4);
    for (const [i, column] of columns.slice(3).entries()) {
      town.db.prepare(`UPDATE ledger SET ${column} = NULL WHERE seq = ?`).run(2 + (i % 4));
    }
    for (let seq = 1; seq <= 5; seq++) expect(sqlInput(seq)).toBe(jsInput(seq));
  });

  it('decodes invalid UTF-8 written behind its back as hashedBody does', () => {
    town = makeLedgerTown(3);
    const bytes = ['c3', 'e282', 'ed a0 80', 'ff', '80', 'f09f98', 'c328', 'e2 28 a1', '00'];
    for (const hex of bytes) {
      const raw = hex.replaceAll(' ', '');
      town.db
        .prepare(
          `UPDATE ledger SET actor = CAST(x'61${raw}62' AS TEXT), payload = CAST(x'7b2278223a22${raw}227d' AS TEXT) WHERE seq = 2`,
        )
        .run();
      expect(sqlInput(2), hex).toBe(jsInput(2));
    }
  });

  it('is NULL, or fails, where a column is not text or prev_hash is not 64 bytes', () => {
    town = makeLedgerTown(3);
    town.db.prepare(`UPDATE ledger SET payload = CAST(payload AS BLOB) WHERE seq = 2`).run();
    town.db.prepare(`UPDATE ledger SET prev_hash = CAST(prev_hash AS BLOB) WHERE seq = 3`).run();
    town.db.prepare(`UPDATE ledger SET prev_hash = prev_hash || 'x' WHERE seq = 4`).run();
    for (const seq of [2, 3, 4]) expect(sqlInput(seq), `seq ${seq}`).toBeNull();
    town.db.prepare(`UPDATE ledger SET actor = CAST(actor AS BLOB) WHERE seq = 1`).run();
    expect(() => sqlInput(1)).toThrow(/BLOB/);
  });
});
