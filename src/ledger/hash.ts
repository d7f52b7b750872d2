// The hashes of the ledger: the event chain link and the RFC 6962 Merkle leaf and node hashes.
// One-shot `crypto.hash` and preallocated buffers: verification hashes every event three times
// (its link, its Merkle leaf, about one inner node), so this is the verifier's hot path. Merkle
// nodes travel as 32-character latin1 strings (one char per byte): a digest returned as a string
// costs half of one returned as a new Buffer, and writing it into a reused input buffer is a copy.
import { hash } from 'node:crypto';

/** The `prev_hash` of the first event. */
export const genesisHash = '0'.repeat(64);

export function sha256Hex(data: string | Buffer): string {
  return hash('sha256', data, 'hex');
}

/** hash = sha256(prev_hash ‖ canonical(event)), both as UTF-8 text. */
export function chainHash(prevHash: string, canonicalEvent: string): string {
  return hash('sha256', prevHash + canonicalEvent, 'hex');
}

/** RFC 6962 leaf hash over the event hash (32 raw bytes): sha256(0x00 ‖ hash). */
export function merkleLeaf(eventHash: string): Buffer {
  const data = Buffer.allocUnsafe(33);
  data[0] = 0;
  data.write(eventHash, 1, 32, 'hex');
  return hash('sha256', data, 'buffer');
}

/** RFC 6962 inner node: sha256(0x01 ‖ left ‖ right). */
export function merkleNode(left: Buffer, right: Buffer): Buffer {
  const data = Buffer.allocUnsafe(65);
  data[0] = 1;
  left.copy(data, 1);
  right.copy(data, 33);
  return hash('sha256', data, 'buffer');
}

// Reused inputs: byte 0 is the RFC 6962 domain prefix, the rest is overwritten on every call.
const leafInput = Buffer.alloc(33, 0);
const nodeInput = Buffer.alloc(65, 1);

/** `merkleLeaf` as a latin1 string. */
export function merkleLeafLatin1(eventHash: string): string {
  if (leafInput.write(eventHash, 1, 32, 'hex') !== 32)
    throw new RangeError(`not a sha256 hex digest: ${eventHash}`);
  return hash('sha256', leafInput, 'binary'); // 'binary' is Node's name for latin1
}

/** `merkleNode` over latin1 strings, as a latin1 string. */
export function merkleNodeLatin1(left: string, right: string): string {
  nodeInput.write(left, 1, 32, 'latin1');
  nodeInput.write(right, 33, 32, 'latin1');
  return hash('sha256', nodeInput, 'binary');
}
