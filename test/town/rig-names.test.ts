import { describe, expect, it } from 'vitest';
import { checkRigName, derivePrefix } from '../../src/town/index.js';

const none = new Map<string, string>();

describe('derivePrefix', () => {
  it('takes the initials of a multi-word name', () => {
    expect(derivePrefix('my-web-app', none)).toBe('mwa');
    expect(derivePrefix('data_pipeline', none)).toBe('dp');
  });

  it('takes the first two letters of a one-word name', () => {
    expect(derivePrefix('frontend', none)).toBe('fr');
  });

  it('lengthens, then numbers, a prefix that is taken', () => {
    expect(derivePrefix('frontend', new Map([['fr', 'fred']]))).toBe('fro');
    const all = new Map(['ab', 'abc'].map((p) => [p, 'x']));
    expect(derivePrefix('abc', all)).toBe('abc2');
  });

  it('never yields the reserved hq prefix', () => {
    expect(derivePrefix('hqtools', none)).toBe('hqt');
    expect(derivePrefix('h-q', none)).toBe('hq2');
  });

  it('pads a one-letter name to a valid prefix', () => {
    expect(derivePrefix('x', none)).toBe('x2');
  });

  it('keeps to 2-8 lowercase letters and digits', () => {
    const prefix = derivePrefix('a-b-c-d-e-f-g-h-i-j', none);
    expect(prefix).toBe('abcdefgh');
  });
});

describe('checkRigName', () => {
  it('accepts lowercase names with digits, dashes and underscores', () => {
    for (const name of ['a', 'app', 'web-app_2', 'a'.repeat(40)])
      expect(() => checkRigName(name)).not.toThrow();
  });

  it('rejects reserved, hidden and malformed names', () => {
    for (const name of ['mayor', 'hq', 'town', '.git', 'App', '-x', '1a', '', 'a/b', 'a'.repeat(41)]) {
      expect(() => checkRigName(name)).toThrow(/invalid rig name/);
    }
  });
});
