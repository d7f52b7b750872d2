// Bead ids stay short while few beads exist and grow before collisions become likely.
import { describe, expect, it } from 'vitest';
import { hashLengthFor, isValidBeadId, isValidPrefix, prefixOf } from '../../src/beads/index.js';
import { hashId, newBeadId, parentOfDottedId } from '../../src/beads/ids.js';

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

  it('recognises every id shape bd accepts: ours, legacy numbers, and what trackers hold', () => {
    const accepted = [
      'bd-a1b2',
      'gt-a1b2.1',
      'gt-a1b2.1.12',
      'bd-42',
      'bd-mol-02i',
      'bd-eph-5h2',
      'bd-beads-polecat-amber',
      'bd-9f86-baseline-test',
      'web-app-abc123',
      'bd-abc.1.2',
      'PROJ-123',
      'hq_x-a_b',
    ];
    for (const id of accepted) expect(isValidBeadId(id), id).toBe(true);
    // No hyphen, empty parts, spaces, path or ref syntax, a leading dash (a flag), `.lock` (git).
    const refused = [
      'a1b2',
      'bd-',
      '-bd-1',
      'bd-a1b2.',
      'bd-a b',
      'bd--x',
      'bd-a..b',
      'bd-a/b',
      'bd-x.lock',
      'bd-~1',
      '',
    ];
    for (const id of refused) expect(isValidBeadId(id), id).toBe(false);
    expect(isValidBeadId(`bd-${'x'.repeat(300)}`)).toBe(false);
    expect(prefixOf('gt-a1b2.3')).toBe('gt');
  });

  it('mints ids under hyphenated prefixes and finds the parent of dotted children only', () => {
    expect(isValidPrefix('web-app')).toBe(true);
    for (const prefix of ['Web', 'web-', '-web', 'web--app', '1web', ''])
      expect(isValidPrefix(prefix), prefix).toBe(false);
    const id = hashId({ prefix: 'web-app', title: 't', timestamp: new Date(0), nonce: 0 }, 5);
    expect(id).toMatch(/^web-app-[0-9a-z]{5}$/);
    expect(parentOfDottedId('bd-abc.1.2')).toBe('bd-abc.1');
    expect(parentOfDottedId('bd-abc.1')).toBe('bd-abc');
    expect(parentOfDottedId('bd-v1.beta')).toBeUndefined();
    expect(parentOfDottedId('bd-abc')).toBeUndefined();
  });
});
