// Verification of a ledger, from the database or from an export: recomputes every link of the
// hash chain, the Merkle root under every checkpoint and every signature, and names the first
// thing that is wrong. The same function serves both sources, so an auditor checks an export with
// exactly the code the town uses.
import type { KeyObject } from 'node:crypto';
import type { Checkpoint } from './checkpoint.js';
import { checkpointSignatureValid } from './checkpoint.js';
import type { LedgerRow } from './event.js';
import { hashedBody } from './event.js';
import { chainHash, genesisHash } from './hash.js';
import { keyIdOf } from './keys.js';
import { MerkleAccumulator } from './merkle-accumulator.js';

export const problemKinds = [
  'edited',
  'missing',
  'reordered',
  'rewritten',
  'truncated',
  'forged_checkpoint',
  'key_replaced',
  'blob_edited',
  'blob_missing',
] as const;
export type ProblemKind = (typeof problemKinds)[number];

export interface VerifyProblem {
  kind: ProblemKind;
  /** The first bad sequence number, when one can be named. */
  seq?: number;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  events: number;
  checkpoints: number;
  head_hash: string;
  key_id: string | null;
  problem?: VerifyProblem;
}

export interface VerifyInput {
  rows: Iterable<LedgerRow>;
  checkpoints: readonly Checkpoint[];
  /** The key checkpoints must be signed with (the town's, or one handed over out of band). */
  publicKey?: KeyObject;
  /** Blob store check: yields [hash, sha256 of content] pairs, or undefined to skip. */
  blobs?: Iterable<{ hash: string; actual: string }>;
  /** Whether a referenced blob exists. */
  hasBlob?: (hash: string) => boolean;
}

const blobRef = /"\$blob":"([0-9a-f]{64})"/g;

export function verifyLedger(input: VerifyInput): VerifyReport {
  const keyId = input.publicKey ? keyIdOf(input.publicKey) : null;
  const pending = [...input.checkpoints].sort((a, b) => a.size - b.size);
  const accumulator = new MerkleAccumulator();
  let expected = 1;
  let prev = genesisHash;
  const report = (problem: VerifyProblem): VerifyReport => ({
    ok: false,
    events: expected - 1,
    checkpoints: input.checkpoints.length,
    head_hash: prev,
    key_id: keyId,
    problem,
  });
  for (const cp of pending) {
    if (input.publicKey && !checkpointSignatureValid(cp, input.publicKey)) {
      return report({
        kind: 'forged_checkpoint',
        seq: cp.size,
        message: `checkpoint at size ${cp.size} (${cp.time}): signature does not verify with key ${keyId}`,
      });
    }
  }
  let next = 0;
  while (pending[next]?.size === 0) next++;
  for (const row of input.rows) {
    if (row.seq > expected)
      return report({
        kind: 'missing',
        seq: expected,
        message: `seq ${expected}${row.seq - 1 > expected ? `..${row.seq - 1}` : ''} missing (next present is ${row.seq})`,
      });
    if (row.seq < expected)
      return report({
        kind: 'reordered',
        seq: row.seq,
        message: `seq ${row.seq} appears again after seq ${expected - 1}`,
      });
    const recomputed = chainHash(row.prev_hash, hashedBody(row));
    if (recomputed !== row.hash) {
      const kind = row.prev_hash === prev ? 'edited' : 'reordered';
      return report({
        kind,
        seq: row.seq,
        message: `seq ${row.seq}: content does not match its hash (${kind === 'edited' ? 'edited' : 'moved or reordered'})`,
      });
    }
    if (row.prev_hash !== prev) {
      return report({
        kind: 'rewritten',
        seq: row.seq - 1,
        message: `seq ${row.seq - 1} was rewritten: seq ${row.seq} links to a different hash`,
      });
    }
    if (row.seq === 1 && keyId !== null && row.kind === 'town.installed') {
      const genesisKey = (JSON.parse(row.payload) as { key_id?: string }).key_id;
      if (genesisKey !== undefined && genesisKey !== keyId) {
        return report({
          kind: 'key_replaced',
          seq: 1,
          message: `the town key was replaced: the ledger was started with key ${genesisKey}, checkpoints are checked with ${keyId}`,
        });
      }
    }
    if (input.hasBlob && row.payload.includes('"$blob"')) {
      for (const match of row.payload.matchAll(blobRef)) {
        if (!input.hasBlob(match[1]!))
          return report({
            kind: 'blob_missing',
            seq: row.seq,
            message: `seq ${row.seq}: blob ${match[1]} is missing`,
          });
      }
    }
    // Leaves matter only up to the last checkpoint still to check.
    if (next < pending.length) accumulator.add(row.hash);
    prev = row.hash;
    expected++;
    while (next < pending.length && pending[next]!.size === accumulator.size) {
      const cp = pending[next++]!;
      if (cp.head_hash !== row.hash || cp.merkle_root !== accumulator.root()) {
        return report({
          kind: 'rewritten',
          seq: cp.size,
          message: `events up to seq ${cp.size} no longer match the checkpoint signed at ${cp.time} (rewritten)`,
        });
      }
    }
  }
  const beyond = pending[next];
  if (beyond !== undefined) {
    return report({
      kind: 'truncated',
      seq: expected,
      message: `truncated: a checkpoint signed at ${beyond.time} covers ${beyond.size} events, the ledger holds ${expected - 1}`,
    });
  }
  for (const blob of input.blobs ?? []) {
    if (blob.actual !== blob.hash)
      return report({
        kind: 'blob_edited',
        message: `blob ${blob.hash} was edited (its content hashes to ${blob.actual})`,
      });
  }
  return {
    ok: true,
    events: expected - 1,
    checkpoints: input.checkpoints.length,
    head_hash: prev,
    key_id: keyId,
  };
}
