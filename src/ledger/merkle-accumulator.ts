// An append-only Merkle accumulator: O(log n) memory, the RFC 6962 root at any size. Verification
// streams a million events through it instead of holding every hash.
import { merkleLeaf, merkleNode } from './hash.js';
import { merkleRoot } from './merkle.js';

export class MerkleAccumulator {
  /** Perfect subtrees, largest (leftmost) first: the binary decomposition of `size`. */
  private readonly stack: { size: number; hash: Buffer }[] = [];
  size = 0;

  add(eventHash: string): void {
    let node = { size: 1, hash: merkleLeaf(eventHash) };
    let top = this.stack[this.stack.length - 1];
    while (top !== undefined && top.size === node.size) {
      this.stack.pop();
      node = { size: top.size * 2, hash: merkleNode(top.hash, node.hash) };
      top = this.stack[this.stack.length - 1];
    }
    this.stack.push(node);
    this.size++;
  }

  /** RFC 6962 splits at the largest power of two, so the root folds the subtrees right to left. */
  root(): string {
    if (this.stack.length === 0) return merkleRoot([]);
    let acc = this.stack[this.stack.length - 1]!.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) acc = merkleNode(this.stack[i]!.hash, acc);
    return acc.toString('hex');
  }
}
