// Bead ids. The ids we mint are `<prefix>-<base36 hash>` whose length grows with the number of
// beads under the prefix, so ids stay short while the chance that two new ids collide stays under
// 25% (birthday bound). Children of a bead get dotted ids: `gt-a1b2.1`, … `gt-a1b2.1.1`. The ids we
// accept are wider: whatever shape a real bd tracker holds.
import { createHash } from 'node:crypto';

export const minHashLength = 4;
export const maxHashLength = 8;
const collisionThreshold = 0.25;

const prefixPattern = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const maxPrefixLength = 32;
/**
 * Ids we accept from trackers: what bd accepts (a prefix, a hyphen, anything after it:
 * `bd-mol-02i`, `web-app-abc123`, `bd-9f86-baseline-test`, dotted children `bd-abc.1.2`), limited
 * to characters that are safe where ids go: git branch names (`polecat/<name>/<id>`), file
 * names, argv. Segments of letters, digits and `_`, joined by single `-` or `.`.
 */
const idPattern = /^[A-Za-z0-9][A-Za-z0-9_]*(?:[-.][A-Za-z0-9_]+)*$/;
export const maxBeadIdLength = 200;

/** A prefix for ids we mint: lowercase words joined by hyphens (`gt`, `web-app`). */
export function isValidPrefix(prefix: string): boolean {
  return prefix.length <= maxPrefixLength && prefixPattern.test(prefix);
}

/**
 * Any id with a hyphen after its first segment, as bd accepts: ours (`gt-a1b2`, `gt-a1b2.3`),
 * legacy sequential ones (`bd-42`), and the shapes Gas Town trackers hold (molecules, wisps,
 * agent and role beads, hand-made ids). A `.lock` ending is refused: git rejects it in a ref.
 */
export function isValidBeadId(id: string): boolean {
  return (
    id.length <= maxBeadIdLength &&
    idPattern.test(id) &&
    id.indexOf('-') > 0 &&
    !id.toLowerCase().endsWith('.lock')
  );
}

/** The first segment of an id: a rig's prefix (rig prefixes have no hyphen). */
export function prefixOf(id: string): string {
  const dash = id.indexOf('-');
  return dash < 0 ? id : id.slice(0, dash);
}

/** The parent of a dotted child id (`bd-abc.1.2` → `bd-abc.1`), or undefined for a top-level id. */
export function parentOfDottedId(id: string): string | undefined {
  const dot = id.lastIndexOf('.');
  return dot < 0 || !/^\d+$/.test(id.slice(dot + 1)) ? undefined : id.slice(0, dot);
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
