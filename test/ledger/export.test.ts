// An export verifies anywhere with only the public key, and tampering with the exported file is
// caught just as tampering with the database is.
import { afterEach, describe, expect, it } from 'vitest';
import {
  createCheckpoint,
  exportLines,
  getEvent,
  inclusionProof,
  eventHashes,
  listCheckpoints,
  parseExport,
  verifyInclusion,
  verifyLedger,
} from '../../src/ledger/index.js';
import { makeLedgerTown, type LedgerTown } from '../support/ledger-town.js';

let town: LedgerTown;
afterEach(() => town.cleanup());

function verifyText(text: string) {
  const parsed = parseExport(text, 'ledger.jsonl');
  return verifyLedger({
    ...parsed,
    publicKey: town.key.publicKey,
    hasBlob: (h) => parsed.blobs.some((b) => b.hash === h),
  });
}

describe('ledger export', () => {
  it('verifies a whole export, blobs and checkpoints included', () => {
    town = makeLedgerTown(12);
    town.ledger.append({
      kind: 'tool.output',
      actor: 'overseer',
      payload: { output: 'z'.repeat(5000), nested: { a: [1, 2.5, null] } },
    });
    createCheckpoint(town.ledger, town.key, 'overseer');
    const text = [...exportLines(town.db, town.key.publicPem)].join('');
    const parsed = parseExport(text, 'ledger.jsonl');
    expect(parsed.publicKeyPem).toBe(town.key.publicPem);
    expect(parsed.rows).toHaveLength(15);
    expect(parsed.blobs).toHaveLength(1);
    expect(verifyText(text)).toMatchObject({ ok: true, events: 15, checkpoints: 1 });
  });

  it('catches an edited line in the file', () => {
    town = makeLedgerTown(6);
    createCheckpoint(town.ledger, town.key, 'overseer');
    const lines = [...exportLines(town.db, town.key.publicPem)];
    lines[4] = lines[4]!.replace('"event 3"', '"event three"');
    expect(verifyText(lines.join('')).problem).toMatchObject({ kind: 'edited', seq: 4 });
  });

  it('catches a dropped tail when the checkpoint remains', () => {
    town = makeLedgerTown(6);
    createCheckpoint(town.ledger, town.key, 'overseer');
    const lines = [...exportLines(town.db, town.key.publicPem)].filter(
      (l) => !l.includes('"seq":8,') && !l.includes('"seq":7,'),
    );
    expect(verifyText(lines.join('')).problem).toMatchObject({ kind: 'truncated', seq: 7 });
  });

  it('names the line of a malformed export', () => {
    town = makeLedgerTown(1);
    const lines = [...exportLines(town.db, town.key.publicPem)];
    lines.splice(1, 0, '{"type":"event","seq":"two"}\n');
    expect(() => parseExport(lines.join(''), 'x.jsonl')).toThrow(/x\.jsonl:2: seq/);
  });
});

describe('inclusion proofs', () => {
  it('proves an event against the latest signed checkpoint', () => {
    town = makeLedgerTown(30);
    createCheckpoint(town.ledger, town.key, 'overseer');
    const checkpoint = listCheckpoints(town.db).at(-1)!;
    const event = getEvent(town.db, 17)!;
    const proof = inclusionProof(eventHashes(town.db, checkpoint.size), event.seq - 1);
    expect(verifyInclusion(event.hash, event.seq - 1, checkpoint.size, proof, checkpoint.merkle_root)).toBe(
      true,
    );
    expect(
      verifyInclusion(
        getEvent(town.db, 18)!.hash,
        event.seq - 1,
        checkpoint.size,
        proof,
        checkpoint.merkle_root,
      ),
    ).toBe(false);
  });
});
