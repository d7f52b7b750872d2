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
  const verifier = new ChainVerifier(input);
  const begun = verifier.begin();
  if (begun) return begun;
  for (const row of input.rows) {
    const failed = verifier.row(row);
    if (failed) return failed;
  }
  const ended = verifier.end();
  if (ended) return ended;
  for (const blob of input.blobs ?? []) {
    const failed = verifier.blob(blob);
    if (failed) return failed;
  }
  return verifier.report();
}

/**
 * The verifier one row at a time, so a source that reads rows in pages (the async ledger
 * repository) checks exactly what `verifyLedger` checks. Call `begin`, `row` for each row in seq
 * order, `end`, then `blob` for each blob; each returns the failing report, and once one has
 * failed the rest must not be called.
 */
export class ChainVerifier {
  private readonly keyId: string | null;
  private readonly pending: Checkpoint[];
  private readonly accumulator = new MerkleAccumulator();
  private expected = 1;
  private prev = genesisHash;
  private next = 0;

  constructor(private readonly input: Omit<VerifyInput, 'rows' | 'blobs'>) {
    this.keyId = input.publicKey ? keyIdOf(input.publicKey) : null;
    this.pending = [...input.checkpoints].sort((a, b) => a.size - b.size);
  }

  /** A failing report at the point reached (for checks a source adds, e.g. a head row). */
  failWith(problem: VerifyProblem): VerifyReport {
    return {
      ok: false,
      events: this.expected - 1,
      checkpoints: this.input.checkpoints.length,
      head_hash: this.prev,
      key_id: this.keyId,
      problem,
    };
  }

  /** Checks every checkpoint's signature. */
  begin(): VerifyReport | undefined {
    for (const cp of this.pending) {
      if (this.input.publicKey && !checkpointSignatureValid(cp, this.input.publicKey)) {
        return this.failWith({
          kind: 'forged_checkpoint',
          seq: cp.size,
          message: `checkpoint at size ${cp.size} (${cp.time}): signature does not verify with key ${this.keyId}`,
        });
      }
    }
    while (this.pending[this.next]?.size === 0) this.next++;
    return undefined;
  }

  row(row: LedgerRow): VerifyReport | undefined {
    const expected = this.expected;
    if (row.seq > expected)
      return this.failWith({
        kind: 'missing',
        seq: expected,
        message: `seq ${expected}${row.seq - 1 > expected ? `..${row.seq - 1}` : ''} missing (next present is ${row.seq})`,
      });
    if (row.seq < expected)
      return this.failWith({
        kind: 'reordered',
        seq: row.seq,
        message: `seq ${row.seq} appears again after seq ${expected - 1}`,
      });
    const recomputed = chainHash(row.prev_hash, hashedBody(row));
    if (recomputed !== row.hash) {
      const kind = row.prev_hash === this.prev ? 'edited' : 'reordered';
      return this.failWith({
        kind,
        seq: row.seq,
        message: `seq ${row.seq}: content does not match its hash (${kind === 'edited' ? 'edited' : 'moved or reordered'})`,
      });
    }
    if (row.prev_hash !== this.prev) {
      return this.failWith({
        kind: 'rewritten',
        seq: row.seq - 1,
        message: `seq ${row.seq - 1} was rewritten: seq ${row.seq} links to a different hash`,
      });
    }
    if (row.seq === 1 && this.keyId !== null && row.kind === 'town.installed') {
      const genesisKey = (JSON.parse(row.payload) as { key_id?: string }).key_id;
      if (genesisKey !== undefined && genesisKey !== this.keyId) {
        return this.failWith({
          kind: 'key_replaced',
          seq: 1,
          message: `the town key was replaced: the ledger was started with key ${genesisKey}, checkpoints are checked with ${this.keyId}`,
        });
      }
    }
    if (this.input.hasBlob && row.payload.includes('"$blob"')) {
      for (const match of row.payload.matchAll(blobRef)) {
        if (!this.input.hasBlob(match[1]!))
          return this.failWith({
            kind: 'blob_missing',
            seq: row.seq,
            message: `seq ${row.seq}: blob ${match[1]} is missing`,
          });
      }
    }
    // Leaves matter only up to the last checkpoint still to check.
    const pending = this.pending;
    if (this.next < pending.length) this.accumulator.add(row.hash);
    this.prev = row.hash;
    this.expected++;
    while (this.next < pending.length && pending[this.next]!.size === this.accumulator.size) {
      const cp = pending[this.next++]!;
      if (cp.head_hash !== row.hash || cp.merkle_root !== this.accumulator.root()) {
        return this.failWith({
          kind: 'rewritten',
          seq: cp.size,
          message: `events up to seq ${cp.size} no longer match the checkpoint signed at ${cp.time} (rewritten)`,
        });
      }
    }
    return undefined;
  }

  /** After the last row: no checkpoint may cover more events than were read. */
  end(): VerifyReport | undefined {
    const beyond = this.pending[this.next];
    if (beyond === undefined) return undefined;
    return this.failWith({
      kind: 'truncated',
      seq: this.expected,
      message: `truncated: a checkpoint signed at ${beyond.time} covers ${beyond.size} events, the ledger holds ${this.expected - 1}`,
    });
  }

  /** A blob's stored hash against the hash of its content. */
  blob(blob: { hash: string; actual: string }): VerifyReport | undefined {
    if (blob.actual === blob.hash) return undefined;
    return this.failWith({
      kind: 'blob_edited',
      message: `blob ${blob.hash} was edited (its content hashes to ${blob.actual})`,
    });
  }

  /** The report of a ledger that passed every check. */
  report(): VerifyReport {
    return {
      ok: true,
      events: this.expected - 1,
      checkpoints: this.input.checkpoints.length,
      head_hash: this.prev,
      key_id: this.keyId,
    };
  }
}
