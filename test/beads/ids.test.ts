// Bead ids stay short while few beads exist and grow before collisions become likely.
import { describe, expect, it } from 'vitest';
import { hashLengthFor, isValidBeadId, prefixOf } from '../../src/beads/index.js';
import { hashId, newBeadId } from '../../src/beads/ids.js';

describe('bead ids', () => {
  it('grows the hash length with the number of beads', () => {
    expect(hashLengthFor(0)).toBe(4);
    expect(hashLengthFor(500)).toBe(4);
    expect(hashLengthFor(2_000)).toBe(5);
    expect(hashLengthFor(100_000)).toBe(7);
    expect(hashLengthFor(10_000_000)).toBe(8);
  });

  it('makes base36 ids under the prefix, different for different nonces', () => {
    const input = { prefix: 'gt', title: 't', timestamp: new Date(0) };
    const a = hashId({ ...input, nonce: 0 }, 4);
    const b = hashId({ ...input, nonce: 1 }, 4);
    expect(a).toMatch(/^gt-[0-9a-z]{4}$/);
    expect(a).not.toBe(b);
  });

  it('skips taken ids', () => {
    const input = { prefix: 'gt', title: 't', timestamp: new Date(0) };
    const first = newBeadId(input, 0, () => false);
    const second = newBeadId(input, 0, (id) => id === first);
    expect(second).not.toBe(first);
    expect(second).toMatch(/^gt-[0-9a-z]{4}$/);
  });

  it('recognises bd ids, dotted children and legacy numbers', () => {
    for (const id of ['bd-a1b2', 'gt-a1b2.1', 'gt-a1b2.1.12', 'bd-42']) expect(isValidBeadId(id)).toBe(true);
    for (const id of ['a1b2', 'BD-a1b2', 'bd-', 'bd-a1b2.', 'bd-a b']) expect(isValidBeadId(id)).toBe(false);
    expect(prefixOf('gt-a1b2.3')).toBe('gt');
  });
});
