// RFC 6962 Merkle trees over the event hashes: the root a checkpoint signs, and inclusion proofs
// that one event is in a signed tree without handing over the whole ledger.
import { merkleLeaf, merkleNode } from './hash.js';
import { MerkleAccumulator } from './merkle-accumulator.js';

/** Largest power of two strictly less than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The tree head of the given leaves, in O(n) hashes and O(log n) memory. */
export function merkleRoot(eventHashes: Iterable<string>): string {
  const accumulator = new MerkleAccumulator();
  for (const eventHash of eventHashes) accumulator.add(eventHash);
  return accumulator.root();
}

function subtreeRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return merkleNode(subtreeRoot(leaves.slice(0, k)), subtreeRoot(leaves.slice(k)));
}

/** RFC 6962 §2.1.1 audit path for leaf `index` (0-based) in a tree of the given hashes. */
export function inclusionProof(eventHashes: readonly string[], index: number): string[] {
  if (index < 0 || index >= eventHashes.length)
    throw new RangeError(`leaf ${index} is not in a tree of ${eventHashes.length}`);
  const path = (leaves: readonly Buffer[], m: number): Buffer[] => {
    if (leaves.length <= 1) return [];
    const k = split(leaves.length);
    return m < k
      ? [...path(leaves.slice(0, k), m), subtreeRoot(leaves.slice(k))]
      : [...path(leaves.slice(k), m - k), subtreeRoot(leaves.slice(0, k))];
  };
  return path(eventHashes.map(merkleLeaf), index).map((b) => b.toString('hex'));
}

/** RFC 9162 §2.1.3.2: recomputes the root from a leaf and its audit path. */
export function verifyInclusion(
  eventHash: string,
  index: number,
  size: number,
  proof: readonly string[],
  root: string,
): boolean {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = merkleLeaf(eventHash);
  for (const hex of proof) {
    const p = Buffer.from(hex, 'hex');
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = merkleNode(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = merkleNode(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && r.toString('hex') === root;
}
