// The fast path of verifying the town's own ledger: the rows cut into segments at Merkle block
// boundaries, checked side by side (verify-threads.ts) and joined in order — each segment's first
// prev_hash against the hash that ends the one before, the block roots folded into every
// checkpoint's root. It answers only "intact"; on anything else it returns undefined and
// verifyDatabase runs the serial verifier, which names the first bad seq exactly as always.
// So this path checks everything verify.ts checks, and may only be stricter.
import type Database from 'better-sqlite3';
import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Checkpoint } from './checkpoint.js';
import { checkpointSignatureValid } from './checkpoint.js';
import { genesisHash } from './hash.js';
import { keyIdOf } from './keys.js';
import { MerkleAccumulator } from './merkle-accumulator.js';
import type { SegmentTask } from './verify-segment.js';
import { runSegments } from './verify-threads.js';
import type { VerifyReport } from './verify.js';

export interface SplitOptions {
  /** Threads at most, the calling one included (default: the cores, at most 4). */
  threads?: number;
  /** Below this many events one thread does it all: a worker costs ~30 ms to start. */
  parallelFrom?: number;
  /** Merkle leaves per block, a power of two (tests make it small). */
  blockSize?: number;
}

export interface SplitInput {
  checkpoints: readonly Checkpoint[];
  publicKey?: KeyObject;
  hasBlob: (hash: string) => boolean;
  blobs: Iterable<{ hash: string; actual: string }>;
}

const defaults = { threads: Math.min(4, availableParallelism()), parallelFrom: 100_000, blockSize: 4096 };

export function verifySplit(
  db: Database.Database,
  input: SplitInput,
  options: SplitOptions = {},
): VerifyReport | undefined {
  const keyId = input.publicKey ? keyIdOf(input.publicKey) : null;
  const key = input.publicKey;
  if (key && !input.checkpoints.every((cp) => checkpointSignatureValid(cp, key))) return undefined;
  const { first, last } = db
    .prepare<[], { first: number | null; last: number | null }>(
      'SELECT min(seq) AS first, max(seq) AS last FROM ledger',
    )
    .get()!;
  const events = last ?? 0;
  if (events > 0 && first !== 1) return undefined;
  if (!input.checkpoints.every((cp) => Number.isInteger(cp.size) && cp.size >= 0 && cp.size <= events))
    return undefined;
  if (keyId !== null && events > 0 && !genesisNamesKey(db, keyId)) return undefined;

  const bySize = new Map<number, Checkpoint[]>();
  for (const cp of input.checkpoints)
    if (cp.size > 0) bySize.set(cp.size, [...(bySize.get(cp.size) ?? []), cp]);
  const sizes = [...bySize.keys()].sort((a, b) => a - b);
  const blockSize = options.blockSize ?? defaults.blockSize;
  const threads =
    events >= (options.parallelFrom ?? defaults.parallelFrom) ? (options.threads ?? defaults.threads) : 1;
  const tasks = plan(events, sizes, blockSize, threads);
  const file = db.memory ? undefined : db.name;

  const merkle = new MerkleAccumulator();
  let prev = genesisHash;
  for (const [i, result] of runSegments(db, file, tasks, threads - 1).entries()) {
    if (!result.sound || result.firstPrev !== prev) return undefined;
    if (!result.blobs.every(input.hasBlob)) return undefined;
    const firstBlock = tasks[i]!.lo / blockSize;
    let fed = 0;
    for (const cut of result.cuts) {
      for (; fed < Math.floor(cut.size / blockSize) - firstBlock; fed++)
        merkle.addSubtree(blockSize, result.blocks[fed]!);
      const root = merkle.root(cut.partial);
      if (!bySize.get(cut.size)!.every((cp) => cp.head_hash === cut.head && cp.merkle_root === root))
        return undefined;
    }
    for (; fed < result.blocks.length; fed++) merkle.addSubtree(blockSize, result.blocks[fed]!);
    prev = result.lastHash;
  }
  for (const blob of input.blobs) if (blob.actual !== blob.hash) return undefined;
  return { ok: true, events, checkpoints: input.checkpoints.length, head_hash: prev, key_id: keyId };
}

/** As verify.ts: a genesis event naming another key than the one checkpoints are checked with. */
function genesisNamesKey(db: Database.Database, keyId: string): boolean {
  const genesis = db
    .prepare<[], { kind: unknown; payload: unknown }>('SELECT kind, payload FROM ledger WHERE seq = 1')
    .get();
  if (genesis?.kind !== 'town.installed') return true;
  if (typeof genesis.payload !== 'string') return false;
  const named = (JSON.parse(genesis.payload) as { key_id?: string }).key_id;
  return named === undefined || named === keyId;
}

/**
 * Segments cut at block boundaries: one for a small ledger, else four per thread, so that the
 * threads share the work out by how fast each turns out to be.
 */
function plan(events: number, sizes: readonly number[], blockSize: number, threads: number): SegmentTask[] {
  const segments = threads > 1 ? threads * 4 : 1;
  const step = Math.max(blockSize, Math.ceil(events / segments / blockSize) * blockSize);
  const merkleUpTo = sizes[sizes.length - 1] ?? 0;
  const tasks: SegmentTask[] = [];
  for (let lo = 0; lo < events; lo += step) {
    const hi = Math.min(events, lo + step);
    tasks.push({ lo, hi, blockSize, merkleUpTo, checkpointSizes: sizes.filter((s) => s > lo && s <= hi) });
  }
  return tasks;
}
