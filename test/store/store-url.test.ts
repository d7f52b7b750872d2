// `store.url`: the password comes from the environment, never from town.yaml; town.yaml refuses a
// literal password; resolution fills `${VAR}` and PGPASSWORD; describeUrl never shows a password.
import { describe, expect, it } from 'vitest';
import { describeUrl } from '../../src/store/postgres/connection.js';
import { resolveStoreUrl, storeUrlProblem } from '../../src/store/url.js';
import { townConfigSchema } from '../../src/town/config.js';

describe('store.url', () => {
  it('accepts a URL without a password or with a variable in its place', () => {
    expect(storeUrlProblem('postgres://gt@db.internal:5432/town')).toBeUndefined();
    expect(storeUrlProblem('postgresql://gt:${GT_STORE_PASSWORD}@db/town')).toBeUndefined();
  });

  it('refuses a literal password, another scheme, or no database', () => {
    expect(storeUrlProblem('postgres://gt:hunter2@db/town')).toMatch(/holds a password/);
    expect(storeUrlProblem('mysql://gt@db/town')).toMatch(/postgres:\/\//);
    expect(storeUrlProblem('postgres://gt@db')).toMatch(/no database/);
    expect(storeUrlProblem('not a url')).toMatch(/not a URL/);
  });

  it('is validated in town.yaml, naming the field and never echoing the password', () => {
    const parsed = townConfigSchema.safeParse({ name: 't', store: { url: 'postgres://gt:hunter2@db/town' } });
    expect(parsed.success).toBe(false);
    const text = JSON.stringify(parsed.error?.issues);
    expect(text).toContain('store.url holds a password');
    expect(text).not.toContain('hunter2');
    expect(townConfigSchema.parse({ name: 't' }).store).toBeUndefined();
  });

  it('fills the password from the named variable, encoded, or from PGPASSWORD', () => {
    const url = resolveStoreUrl('postgres://gt:${PW}@db:5433/town', { PW: 'p@ss:w/rd' });
    expect(decodeURIComponent(new URL(url).password)).toBe('p@ss:w/rd');
    expect(new URL(url).host).toBe('db:5433');
    expect(new URL(resolveStoreUrl('postgres://gt@db/town', { PGPASSWORD: 'x y' })).password).toBe('x%20y');
    expect(resolveStoreUrl('postgres://gt@db/town', {})).toBe('postgres://gt@db/town');
    expect(describeUrl(url)).toBe('db:5433/town');
  });

  it('names a missing variable, without any value', () => {
    expect(() => resolveStoreUrl('postgres://gt:${GT_STORE_PASSWORD}@db/town', {})).toThrow(
      /\$GT_STORE_PASSWORD, which is not set/,
    );
  });
});
