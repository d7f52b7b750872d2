// Import of whole beads (from JSONL): new ids are inserted, known ids whose content differs are
// replaced with their labels, edges and comments, identical ones are left alone. The caller runs
// this inside one transaction, so a failure imports nothing.
import type Database from 'better-sqlite3';
import { ErrorCode, GasTownError } from '../../errors.js';
import type { Bead } from '../model.js';
import type { ImportResult } from '../store.js';
import { loadBead } from './hydrate.js';
import { bumpChildCounter } from './insert.js';
import { beadColumns, beadToRow } from './rows.js';
import { prepared } from './statements.js';

type Db = Database.Database;

export function importBeads(db: Db, beads: readonly Bead[]): ImportResult {
  const result: ImportResult = { created: 0, updated: 0, unchanged: 0 };
  const insert = prepared(
    db,
    `INSERT INTO beads (${beadColumns.join(', ')}) VALUES (${beadColumns.map((c) => `:${c}`).join(', ')})`,
  );
  const replace = prepared(
    db,
    `UPDATE beads SET ${beadColumns
      .filter((c) => c !== 'id')
      .map((c) => `${c} = :${c}`)
      .join(', ')} WHERE id = :id`,
  );
  for (const bead of beads) {
    const existing = loadBead(db, bead.id);
    if (!existing) {
      insert.run(beadToRow(bead));
      result.created++;
    } else if (sameContent(existing, bead)) {
      result.unchanged++;
      continue;
    } else {
      replace.run(beadToRow(bead));
      for (const table of ['labels', 'dependencies', 'comments']) {
        prepared(db, `DELETE FROM ${table} WHERE issue_id = ?`).run(bead.id);
      }
      result.updated++;
    }
    writeRelations(db, bead);
  }
  for (const bead of beads) bumpChildCounter(db, bead.id);
  return result;
}

function writeRelations(db: Db, bead: Bead): void {
  const label = prepared(db, 'INSERT OR IGNORE INTO labels (issue_id, label) VALUES (?, ?)');
  for (const name of bead.labels) label.run(bead.id, name);
  const dep = prepared(
    db,
    'INSERT INTO dependencies (issue_id, depends_on_id, type, created_at, created_by, extra) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const d of bead.dependencies) {
    try {
      dep.run(
        bead.id,
        d.depends_on_id,
        d.type,
        d.created_at,
        d.created_by ?? null,
        d.extra ? JSON.stringify(d.extra) : null,
      );
    } catch (error) {
      throw constraint(error, `bead ${bead.id} lists its dependency on ${d.depends_on_id} twice`, bead.id);
    }
  }
  const owner = prepared<[number], { issue_id: string }>(db, 'SELECT issue_id FROM comments WHERE id = ?');
  const comment = prepared(
    db,
    'INSERT INTO comments (id, issue_id, author, text, created_at, extra) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const c of bead.comments) {
    const taken = owner.get(c.id);
    if (taken) {
      throw new GasTownError(
        ErrorCode.conflict,
        `comment id ${c.id} of bead ${bead.id} is already used by a comment on ${taken.issue_id}`,
        { ids: { bead: bead.id } },
      );
    }
    comment.run(c.id, bead.id, c.author, c.text, c.created_at, c.extra ? JSON.stringify(c.extra) : null);
  }
}

function sameContent(a: Bead, b: Bead): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

function constraint(error: unknown, message: string, id: string): unknown {
  if (error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT')) {
    return new GasTownError(ErrorCode.invalidInput, message, { ids: { bead: id } });
  }
  return error;
}
