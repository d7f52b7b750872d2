// The hashes of the ledger: the event chain link and the RFC 6962 Merkle leaf and node hashes.
import { createHash } from 'node:crypto';

/** The `prev_hash` of the first event. */
export const genesisHash = '0'.repeat(64);

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** hash = sha256(prev_hash ‖ canonical(event)), both as UTF-8 text. */
export function chainHash(prevHash: string, canonicalEvent: string): string {
  return createHash('sha256').update(prevHash).update(canonicalEvent).digest('hex');
}

const leafPrefix = Buffer.from([0]);
const nodePrefix = Buffer.from([1]);

/** RFC 6962 leaf hash over the event hash (32 raw bytes). */
export function merkleLeaf(eventHash: string): Buffer {
  return createHash('sha256').update(leafPrefix).update(Buffer.from(eventHash, 'hex')).digest();
}

export function merkleNode(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(nodePrefix).update(left).update(right).digest();
}
