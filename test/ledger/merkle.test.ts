// RFC 6962 trees: the streaming accumulator and the batch root agree at every size, and every
// inclusion proof verifies against its root (and fails for the wrong leaf or root).
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { inclusionProof, merkleRoot, verifyInclusion } from '../../src/ledger/index.js';
import { MerkleAccumulator } from '../../src/ledger/merkle-accumulator.js';
import { merkleLeaf, merkleNode } from '../../src/ledger/hash.js';

const hashes = Array.from({ length: 40 }, (_, i) => createHash('sha256').update(`event ${i}`).digest('hex'));

function reference(leaves: string[]): string {
  // RFC 6962 §2.1, written recursively as the RFC states it.
  const mth = (items: Buffer[]): Buffer => {
    if (items.length === 1) return items[0]!;
    let k = 1;
    while (k * 2 < items.length) k *= 2;
    return merkleNode(mth(items.slice(0, k)), mth(items.slice(k)));
  };
  return mth(leaves.map(merkleLeaf)).toString('hex');
}

describe('Merkle trees', () => {
  it('computes the RFC 6962 root at every size, batch and streaming', () => {
    const acc = new MerkleAccumulator();
    expect(merkleRoot([])).toBe(createHash('sha256').digest('hex'));
    for (let n = 1; n <= hashes.length; n++) {
      acc.add(hashes[n - 1]!);
      const expected = reference(hashes.slice(0, n));
      expect(merkleRoot(hashes.slice(0, n)), `size ${n}`).toBe(expected);
      expect(acc.root(), `size ${n}`).toBe(expected);
    }
  });

  it('proves inclusion of every leaf and rejects wrong leaves and roots', () => {
    for (const size of [1, 2, 3, 7, 8, 13, 32, 40]) {
      const tree = hashes.slice(0, size);
      const root = merkleRoot(tree);
      for (let i = 0; i < size; i++) {
        const proof = inclusionProof(tree, i);
        expect(verifyInclusion(tree[i]!, i, size, proof, root), `leaf ${i} of ${size}`).toBe(true);
        expect(verifyInclusion(hashes[(i + 1) % 40]!, i, size, proof, root)).toBe(false);
      }
      const otherRoot = merkleRoot(tree.map((h, j) => (j === size - 1 ? 'ff'.repeat(32) : h)));
      expect(verifyInclusion(tree[0]!, 0, size, inclusionProof(tree, 0), otherRoot)).toBe(false);
    }
  });
});
