// An append-only Merkle accumulator: O(log n) memory, the RFC 6962 root at any size. Verification
// streams a million events through it instead of holding every hash; split verification feeds it
// whole aligned subtrees (blocks) computed elsewhere. Nodes are latin1 strings (see hash.ts).
import { hash } from 'node:crypto';
import { merkleLeafLatin1, merkleNodeLatin1 } from './hash.js';

const emptyRoot = hash('sha256', '', 'hex');

/** RFC 6962 splits at the largest power of two, so a root folds the subtrees right to left. */
export function foldSubtrees(subtrees: readonly string[]): string {
  if (subtrees.length === 0) return emptyRoot;
  let acc = subtrees[subtrees.length - 1]!;
  for (let i = subtrees.length - 2; i >= 0; i--) acc = merkleNodeLatin1(subtrees[i]!, acc);
  return Buffer.from(acc, 'latin1').toString('hex');
}

export class MerkleAccumulator {
  /** Perfect subtrees, largest (leftmost) first: the binary decomposition of `size`. */
  private readonly sizes: number[] = [];
  private readonly hashes: string[] = [];
  size = 0;

  /** Adds one event (its hex hash) as the next leaf. */
  add(eventHash: string): void {
    this.addSubtree(1, merkleLeafLatin1(eventHash));
  }

  /**
   * Adds a perfect subtree of `size` leaves (a power of two) as the next leaves; `size` must not
   * exceed the smallest subtree held, so that the tree stays aligned.
   */
  addSubtree(size: number, root: string): void {
    let node = root;
    let nodeSize = size;
    let top = this.sizes.length - 1;
    while (top >= 0 && this.sizes[top] === nodeSize) {
      node = merkleNodeLatin1(this.hashes[top]!, node);
      nodeSize *= 2;
      this.sizes.pop();
      this.hashes.pop();
      top--;
    }
    this.sizes.push(nodeSize);
    this.hashes.push(node);
    this.size += size;
  }

  /** The subtree roots, largest first (a copy). */
  subtrees(): string[] {
    return [...this.hashes];
  }

  /** The root of this tree's subtrees followed by `more` (smaller ones, largest first), as hex. */
  root(more: readonly string[] = []): string {
    return foldSubtrees(more.length === 0 ? this.hashes : [...this.hashes, ...more]);
  }
}
