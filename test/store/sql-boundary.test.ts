// The persistence boundary, enforced: SQL lives only in src/store/ (and, until their callers move
// onto the repositories, in the legacy places listed in sql-legacy.txt). The list may only shrink: a
// new file with SQL outside the store fails, and so does a listed file that no longer has any.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const sql =
  /\b(SELECT\s+[\w*(]|INSERT\s+(OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|CREATE\s+(TABLE|INDEX)\s|PRAGMA\s)/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : [];
  });
}

describe('the persistence boundary', () => {
  const legacy = new Set(
    readFileSync(join(import.meta.dirname, 'sql-legacy.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
  const withSql = files(join(root, 'src'))
    .map((path) => relative(root, path))
    .filter((path) => !path.startsWith('src/store/'))
    .filter((path) => sql.test(readFileSync(join(root, path), 'utf8')));

  it('has no SQL outside src/store/ but in the listed legacy files', () => {
    expect(withSql.filter((path) => !legacy.has(path))).toEqual([]);
  });

  it('lists only files that still hold SQL (the list shrinks as callers move)', () => {
    expect([...legacy].filter((path) => !withSql.includes(path))).toEqual([]);
  });
});
