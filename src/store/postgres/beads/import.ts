// Import of whole beads (from JSONL): new ids are inserted, known ids whose content differs are
// replaced with their labels, edges and comments, identical ones are left alone. The caller runs
// this inside one transaction under the graph lock, so a failure imports nothing.
import { ErrorCode, GasTownError } from '../../../errors.js';
import type { Bead } from '../../../beads/model.js';
import type { ImportResult } from '../../../beads/store.js';
import { beadColumns } from '../../../beads/sqlite/rows.js';
import type { SqlRunner } from '../../sql.js';
import { loadBeads } from './hydrate.js';
import { beadValues, bumpChildCounter, insertBeadSql } from './insert.js';

const replaceSql = `UPDATE beads SET ${beadColumns
  .slice(1)
  .map((c) => `${c} = ?`)
  .join(', ')} WHERE id = ?`;

export async function importBeads(sql: SqlRunner, beads: readonly Bead[]): Promise<ImportResult> {
  const result: ImportResult = { created: 0, updated: 0, unchanged: 0 };
  const known = new Map<string, Bead>();
  // Existing beads are loaded in chunks rather than one query per bead.
  for (let n = 0; n < beads.length; n += 500) {
    const ids = beads.slice(n, n + 500).map((b) => b.id);
    for (const bead of await loadBeads(sql, ids)) known.set(bead.id, bead);
  }
  for (const bead of beads) {
    const existing = known.get(bead.id);
    if (!existing) {
      await sql.run(insertBeadSql, beadValues(bead));
      result.created++;
    } else if (sameContent(existing, bead)) {
      result.unchanged++;
      continue;
    } else {
      await sql.run(replaceSql, [...beadValues(bead).slice(1), bead.id]);
      for (const table of ['labels', 'dependencies', 'comments']) {
        await sql.run(`DELETE FROM ${table} WHERE issue_id = ?`, [bead.id]);
      }
      result.updated++;
    }
    known.set(bead.id, bead);
    await writeRelations(sql, bead);
  }
  for (const bead of beads) await bumpChildCounter(sql, bead.id);
  return result;
}

async function writeRelations(sql: SqlRunner, bead: Bead): Promise<void> {
  for (const name of bead.labels) {
    await sql.run('INSERT INTO labels (issue_id, label) VALUES (?, ?) ON CONFLICT DO NOTHING', [
      bead.id,
      name,
    ]);
  }
  for (const d of bead.dependencies) {
    const added = await sql.run(
      `INSERT INTO dependencies (issue_id, depends_on_id, type, created_at, created_by, extra)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [
        bead.id,
        d.depends_on_id,
        d.type,
        d.created_at,
        d.created_by ?? null,
        d.extra ? JSON.stringify(d.extra) : null,
      ],
    );
    if (added.changes === 0) {
      throw new GasTownError(
        ErrorCode.invalidInput,
        `bead ${bead.id} lists its dependency on ${d.depends_on_id} twice`,
        { ids: { bead: bead.id } },
      );
    }
  }
  for (const c of bead.comments) {
    const taken = await sql.get<{ issue_id: string }>('SELECT issue_id FROM comments WHERE id = ?', [c.id]);
    if (taken) {
      throw new GasTownError(
        ErrorCode.conflict,
        `comment id ${c.id} of bead ${bead.id} is already used by a comment on ${taken.issue_id}`,
        { ids: { bead: bead.id } },
      );
    }
    await sql.run(
      'INSERT INTO comments (id, issue_id, author, text, created_at, extra) VALUES (?, ?, ?, ?, ?, ?)',
      [c.id, bead.id, c.author, c.text, c.created_at, c.extra ? JSON.stringify(c.extra) : null],
    );
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
