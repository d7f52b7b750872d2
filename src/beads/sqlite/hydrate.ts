// Loads beads with their labels, dependencies and comments in four queries, whatever their number,
// preserving the order relations were added in (so an import exports back in the same order).
import type Database from 'better-sqlite3';
import type { Bead } from '../model.js';
import type { BeadRow, CommentRow, DependencyRow } from './rows.js';
import { hydrateColumns, rawToBead, rowToBead, rowToComment, rowToDependency } from './rows.js';
import { prepared } from './statements.js';

type Db = Database.Database;

const byIds = (table: string, key: string, order: string): string =>
  `SELECT t.* FROM ${table} t JOIN json_each(?) j ON t.${key} = j.value ORDER BY ${order}`;

const beadsByIds = `SELECT ${hydrateColumns.map((c) => `t.${c}`).join(', ')}
  FROM beads t JOIN json_each(?) j ON t.id = j.value ORDER BY j.key`;

export function loadBeads(db: Db, ids: readonly string[]): Bead[] {
  if (ids.length === 0) return [];
  const json = JSON.stringify(ids);
  const rows = prepared<[string], unknown[]>(db, beadsByIds).raw(true).all(json);
  const list = rows.map(rawToBead);
  attachRelations(db, new Map(list.map((bead) => [bead.id, bead])), json);
  return list;
}

export function loadBead(db: Db, id: string): Bead | undefined {
  return loadBeads(db, [id])[0];
}

/** Every bead in the store, sorted by id, relations attached: the export. */
export function loadAllBeads(db: Db): Bead[] {
  const rows = prepared<[], BeadRow>(db, 'SELECT * FROM beads ORDER BY id').all();
  const beads = new Map<string, Bead>();
  for (const row of rows) beads.set(row.id, rowToBead(row));
  for (const row of prepared<[], { issue_id: string; label: string }>(
    db,
    'SELECT issue_id, label FROM labels ORDER BY rowid',
  ).iterate()) {
    beads.get(row.issue_id)?.labels.push(row.label);
  }
  for (const row of prepared<[], DependencyRow>(db, 'SELECT * FROM dependencies ORDER BY rowid').iterate()) {
    beads.get(row.issue_id)?.dependencies.push(rowToDependency(row));
  }
  for (const row of prepared<[], CommentRow>(db, 'SELECT * FROM comments ORDER BY id').iterate()) {
    beads.get(row.issue_id)?.comments.push(rowToComment(row));
  }
  return [...beads.values()];
}

function attachRelations(db: Db, beads: Map<string, Bead>, idsJson: string): void {
  const labels = prepared<[string], { issue_id: string; label: string }>(
    db,
    byIds('labels', 'issue_id', 't.rowid'),
  );
  for (const row of labels.iterate(idsJson)) beads.get(row.issue_id)?.labels.push(row.label);
  const deps = prepared<[string], DependencyRow>(db, byIds('dependencies', 'issue_id', 't.rowid'));
  for (const row of deps.iterate(idsJson)) beads.get(row.issue_id)?.dependencies.push(rowToDependency(row));
  const comments = prepared<[string], CommentRow>(db, byIds('comments', 'issue_id', 't.id'));
  for (const row of comments.iterate(idsJson)) beads.get(row.issue_id)?.comments.push(rowToComment(row));
}
