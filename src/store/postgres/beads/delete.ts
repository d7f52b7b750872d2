// Deleting beads: under the graph lock, edges pointing at them go, their rows go (labels, comments
// and their own edges cascade), and the beads that depended on them have their blocked state redone.
import { notFound } from '../../../errors.js';
import type { Bead } from '../../../beads/model.js';
import type { SqlRunner } from '../../sql.js';
import { lockGraph, refreshBlocked } from './blocked-cache.js';
import { loadBeads } from './hydrate.js';

/** Deletes every bead of `ids` (all must exist) and returns them as they were. */
export async function deleteBeads(sql: SqlRunner, ids: string[]): Promise<Bead[]> {
  await lockGraph(sql);
  const unique = [...new Set(ids)];
  const found = new Map((await loadBeads(sql, unique)).map((bead) => [bead.id, bead]));
  const beads = unique.map((id) => {
    const bead = found.get(id);
    if (!bead) throw notFound('bead', id);
    return bead;
  });
  const json = JSON.stringify(unique);
  const inSet = 'SELECT json_array_elements_text(?::json)';
  const dependents = await sql.all<{ issue_id: string }>(
    `SELECT DISTINCT issue_id FROM dependencies WHERE depends_on_id IN (${inSet}) AND issue_id NOT IN (${inSet})`,
    [json, json],
  );
  await sql.run(`DELETE FROM dependencies WHERE depends_on_id IN (${inSet})`, [json]);
  await sql.run(`DELETE FROM blocked_cache WHERE id IN (${inSet})`, [json]);
  await sql.run(`DELETE FROM beads WHERE id IN (${inSet})`, [json]);
  await refreshBlocked(
    sql,
    dependents.map((row) => row.issue_id),
  );
  return beads;
}
