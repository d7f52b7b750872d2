// The hashes of the ledger: the event chain link and the RFC 6962 Merkle leaf and node hashes.
// One-shot `crypto.hash` and preallocated buffers: verification hashes every event three times
// (its link, its Merkle leaf, about one inner node), so this is the verifier's hot path.
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
