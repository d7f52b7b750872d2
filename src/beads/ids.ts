// Bead ids: `<prefix>-<base36 hash>` whose length grows with the number of beads under the prefix,
// so ids stay short while the chance that two new ids collide stays under 25% (birthday bound).
// Children of a bead get dotted ids: `gt-a1b2.1`, `gt-a1b2.2`, … `gt-a1b2.1.1`.
import { createHash } from 'node:crypto';

export const minHashLength = 4;
export const maxHashLength = 8;
const collisionThreshold = 0.25;

const prefixPattern = /^[a-z][a-z0-9]{0,15}$/;
const idPattern = /^[a-z][a-z0-9]{0,15}-[0-9a-z]{1,16}(\.[0-9]+)*$/;

export function isValidPrefix(prefix: string): boolean {
  return prefixPattern.test(prefix);
}

/** Accepts bd's ids (`bd-a1b2`, `bd-a1b2.3`) and legacy sequential ones (`bd-42`). */
export function isValidBeadId(id: string): boolean {
  return idPattern.test(id);
}

export function prefixOf(id: string): string {
  const dash = id.indexOf('-');
  return dash < 0 ? id : id.slice(0, dash);
}

/** The parent of a dotted child id, or undefined for a top-level id. */
export function parentOfDottedId(id: string): string | undefined {
  const dot = id.lastIndexOf('.');
  return dot < 0 ? undefined : id.slice(0, dot);
}

/** The smallest hash length whose collision probability for `existing` ids is under the threshold. */
export function hashLengthFor(existing: number): number {
  for (let length = minHashLength; length < maxHashLength; length++) {
    const space = 36 ** length;
    const probability = 1 - Math.exp(-(existing * existing) / (2 * space));
    if (probability < collisionThreshold) return length;
  }
  return maxHashLength;
}

export interface HashIdInput {
  prefix: string;
  title: string;
  description?: string;
  creator?: string;
  timestamp: Date;
  nonce: number;
}

export function hashId(input: HashIdInput, length: number): string {
  const digest = createHash('sha256')
    .update(
      [
        input.title,
        input.description ?? '',
        input.creator ?? '',
        input.timestamp.toISOString(),
        input.nonce,
      ].join('\0'),
    )
    .digest();
  return `${input.prefix}-${toBase36(digest).slice(0, length)}`;
}

function toBase36(bytes: Buffer): string {
  // 13 bytes hold 21 base36 digits; the low 16 are uniformly distributed, the leading ones are not.
  let value = 0n;
  for (const byte of bytes.subarray(0, 13)) value = (value << 8n) | BigInt(byte);
  return value.toString(36).padStart(21, '0').slice(-16);
}

/**
 * Picks a fresh id: tries nonces at the adaptive length, then longer lengths. `taken` says
 * whether an id is already used.
 */
export function newBeadId(
  input: Omit<HashIdInput, 'nonce'>,
  existingCount: number,
  taken: (id: string) => boolean,
): string {
  for (let length = hashLengthFor(existingCount); length <= maxHashLength; length++) {
    for (let nonce = 0; nonce < 10; nonce++) {
      const id = hashId({ ...input, nonce }, length);
      if (!taken(id)) return id;
    }
  }
  throw new Error(`could not find a free id under prefix ${input.prefix}`);
}
