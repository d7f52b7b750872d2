// One contiguous stretch of the ledger checked on its own, so that verification can split a big
// ledger across threads: every stored prev_hash makes each link checkable without the rows
// before it, and the Merkle tree is cut into aligned blocks whose roots combine afterwards.
// A segment only says whether its stretch is sound; naming the first bad seq is left to the
// serial verifier (verify.ts), which runs whenever any segment is not.
import type Database from 'better-sqlite3';
import { hash } from 'node:crypto';
import type { LedgerRow } from './event.js';
import { hashedBody, hashedInputSql } from './event.js';
import { MerkleAccumulator } from './merkle-accumulator.js';

export interface SegmentTask {
  /** The rows with lo < seq <= hi; `lo` is a multiple of `blockSize`. */
  lo: number;
  hi: number;
  /** Leaves per Merkle block, a power of two. */
  blockSize: number;
  /** Sizes of the checkpoints in (lo, hi], ascending and distinct. */
  checkpointSizes: readonly number[];
  /** No Merkle leaves are needed past this seq (the largest checkpoint). */
  merkleUpTo: number;
}

export interface CheckpointCut {
  size: number;
  /** The event hash at `size`. */
  head: string;
  /** The subtrees of the block `size` falls in, up to `size`, largest first (latin1). */
  partial: string[];
}

export type SegmentResult =
  | { sound: false }
  | {
      sound: true;
      /** prev_hash of the segment's first row, which must be the hash that ends the one before. */
      firstPrev: string;
      lastHash: string;
      /** Roots of the complete Merkle blocks in the segment, in order (latin1). */
      blocks: string[];
      cuts: CheckpointCut[];
      /** Blob hashes the payloads refer to. */
      blobs: string[];
    };

const pageSize = 4096;
const blobRef = /"\$blob":"([0-9a-f]{64})"/g;

/**
 * Checks seqs lo+1..hi are all present, each row hashes to its stored hash from its own prev_hash,
 * and each prev_hash is the hash before it. `onPage` is told after every page read.
 */
export function verifySegment(db: Database.Database, task: SegmentTask, onPage?: () => void): SegmentResult {
  // One string per row: the stored hash, then what it must be the hash of (NULL when either is odd).
  const page = db
    .prepare(
      `SELECT CASE WHEN octet_length(hash) = 64 AND hash < x'' THEN hash || ${hashedInputSql} END
         FROM ledger WHERE seq > ? AND seq <= ? ORDER BY seq`,
    )
    .pluck(true);
  const fullRow = db.prepare<[number], LedgerRow>('SELECT * FROM ledger WHERE seq = ?');
  const blocks: string[] = [];
  const cuts: CheckpointCut[] = [];
  const blobs: string[] = [];
  let block = new MerkleAccumulator();
  let nextCut = 0;
  let firstPrev = '';
  let prev = '';
  for (let after = task.lo; after < task.hi; after += pageSize) {
    const upTo = Math.min(task.hi, after + pageSize);
    const rows = page.all(after, upTo) as (string | null)[];
    onPage?.();
    // seq is the primary key: as many rows as seqs in (after, upTo] means each of them, in order.
    if (rows.length !== upTo - after) return { sound: false };
    for (let i = 0; i < rows.length; i++) {
      const seq = after + i + 1;
      const line = rows[i]!;
      let digest: string;
      let payload = '';
      if (line !== null) {
        // hash ‖ prev_hash ‖ body, the first two 64 bytes each: where they match 64 hex digits,
        // that is exactly what they are (a byte outside ASCII never decodes to one).
        if (seq === task.lo + 1) firstPrev = line.slice(64, 128);
        else if (!line.startsWith(prev, 64)) return { sound: false };
        digest = hash('sha256', line.slice(64), 'hex');
        if (!line.startsWith(digest)) return { sound: false };
        if (line.includes('"$blob"', 128)) payload = line.slice(128);
      } else {
        const full = fullRow.get(seq);
        if (full === undefined || typeof full.prev_hash !== 'string' || typeof full.payload !== 'string')
          return { sound: false };
        if (seq === task.lo + 1) firstPrev = full.prev_hash;
        else if (full.prev_hash !== prev) return { sound: false };
        digest = hash('sha256', full.prev_hash + hashedBody(full), 'hex');
        if (digest !== full.hash) return { sound: false };
        payload = full.payload;
      }
      // A body's other fields hold no quotes, so every match is in the payload, as verify.ts reads it.
      if (payload.includes('"$blob"')) for (const match of payload.matchAll(blobRef)) blobs.push(match[1]!);
      prev = digest;
      if (seq > task.merkleUpTo) continue;
      block.add(digest);
      if (block.size === task.blockSize) {
        blocks.push(block.subtrees()[0]!);
        block = new MerkleAccumulator();
      }
      if (task.checkpointSizes[nextCut] === seq) {
        cuts.push({ size: seq, head: digest, partial: block.subtrees() });
        nextCut++;
      }
    }
  }
  return { sound: true, firstPrev, lastHash: prev, blocks, cuts, blobs };
}
