// Loading many whole beads at once — a copied town, a benchmark's field — in a few statements per
// thousand beads instead of several per bead: each table gets one INSERT from a JSON array, then the
// blocked cache is rebuilt once. The caller gives a transaction (or accepts a partial load on error);
// ids must be new. Comments keep the ids they carry.
import type { Bead } from '../../../beads/model.js';
import { beadColumns, beadToRow } from '../../../beads/sqlite/rows.js';
import type { SqlRunner } from '../../sql.js';
import { rebuildBlocked } from './blocked-cache.js';
import { encodeText } from './text.js';

const chunkSize = 2000;

/** A JSON array of objects whose strings are escaped as the store stores them (see text.ts). */
function jsonOf(records: Record<string, unknown>[]): string {
  return JSON.stringify(records, (_, value: unknown) =>
    typeof value === 'string' ? encodeText(value) : value,
  );
}

export async function bulkInsertBeads(sql: SqlRunner, beads: readonly Bead[]): Promise<void> {
  const columns = beadColumns.join(', ');
  for (let start = 0; start < beads.length; start += chunkSize) {
    const chunk = beads.slice(start, start + chunkSize);
    await sql.run(
      `INSERT INTO beads (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::beads, ?::json)`,
      [jsonOf(chunk.map(beadToRow))],
    );
    await sql.run(
      `INSERT INTO labels (issue_id, label)
       SELECT issue_id, label FROM json_to_recordset(?::json) AS x(issue_id text, label text)
       ON CONFLICT DO NOTHING`,
      [jsonOf(chunk.flatMap((b) => b.labels.map((label) => ({ issue_id: b.id, label }))))],
    );
    const deps = chunk.flatMap((b) =>
      b.dependencies.map((d) => ({
        issue_id: b.id,
        depends_on_id: d.depends_on_id,
        type: d.type,
        created_at: d.created_at,
        created_by: d.created_by ?? null,
        extra: d.extra ? JSON.stringify(d.extra) : null,
      })),
    );
    await sql.run(
      `INSERT INTO dependencies (issue_id, depends_on_id, type, created_at, created_by, extra)
       SELECT * FROM json_to_recordset(?::json)
         AS x(issue_id text, depends_on_id text, type text, created_at text, created_by text, extra text)`,
      [jsonOf(deps)],
    );
    const comments = chunk.flatMap((b) =>
      b.comments.map((c) => ({
        id: c.id,
        issue_id: b.id,
        author: c.author,
        text: c.text,
        created_at: c.created_at,
        extra: c.extra ? JSON.stringify(c.extra) : null,
      })),
    );
    await sql.run(
      `INSERT INTO comments (id, issue_id, author, text, created_at, extra)
       SELECT * FROM json_to_recordset(?::json)
         AS x(id bigint, issue_id text, author text, text text, created_at text, extra text)`,
      [jsonOf(comments)],
    );
  }
  await rebuildBlocked(sql);
}
