// Canonical JSON follows RFC 8785: sorted keys by UTF-16 code units, ECMAScript numbers, no spaces.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/ledger/index.js';

describe('canonical JSON', () => {
  it('sorts keys by UTF-16 code units at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    // RFC 8785 §3.2.3: "\u20ac" sorts before "\ud83d\ude00" (a surrogate pair) by code units.
    expect(canonicalJson({ '\u{1F600}': 1, '\u20ac': 2, '\r': 3, '1': 4 })).toBe(
      '{"\\r":3,"1":4,"€":2,"😀":1}',
    );
  });

  it('writes numbers as ECMAScript does and refuses what JSON cannot hold', () => {
    expect(canonicalJson([1e21, 1.5e-7, -0, Number('333333333.33333329'), 4.5])).toBe(
      '[1e+21,1.5e-7,0,333333333.3333333,4.5]',
    );
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson({ x: () => 1 })).toThrow(/function/);
  });
});
