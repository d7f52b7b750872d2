// Walks over the dependency graph: trees for `bd dep tree`, reachability to refuse edges that
// would close a cycle, and the cycles `bd dep cycles` lists.
import { cyclesOf } from '../../../beads/cycles.js';
import type { Status } from '../../../beads/model.js';
import type { TreeNode } from '../../../beads/store.js';
import { orderingTypes } from '../../../beads/sqlite/graph.js';
import type { SqlRunner } from '../../sql.js';

const orderingList = orderingTypes.map((type) => `'${type}'`).join(', ');

interface NodeRow {
  id: string;
  title: string;
  status: Status;
  issue_type: string;
}

/**
 * The tree below (or above, `reverse`) `rootId`, depth first in the order edges were added. The
 * reachable part of the graph is read in one statement, then walked here like the SQLite store.
 */
export async function dependencyTree(
  sql: SqlRunner,
  rootId: string,
  maxDepth: number,
  reverse: boolean,
): Promise<TreeNode[]> {
  const [from, to] = reverse ? ['depends_on_id', 'issue_id'] : ['issue_id', 'depends_on_id'];
  const edges = await sql.all<{ src: string; dst: string }>(
    `WITH RECURSIVE reach(id, depth) AS (
        SELECT ?::text COLLATE "C", 0
        UNION
        SELECT d.${to}, r.depth + 1 FROM reach r JOIN dependencies d ON d.${from} = r.id WHERE r.depth < ?
      )
      SELECT d.${from} AS src, d.${to} AS dst FROM dependencies d
       WHERE d.${from} IN (SELECT id FROM reach) ORDER BY d.seq`,
    [rootId, maxDepth],
  );
  const next = new Map<string, string[]>();
  for (const { src, dst } of edges) next.set(src, [...(next.get(src) ?? []), dst]);
  const ids = [...new Set([rootId, ...edges.map((e) => e.dst)])];
  const nodes = new Map(
    (
      await sql.all<NodeRow>(
        `SELECT id, title, status, issue_type FROM beads WHERE id IN (SELECT json_array_elements_text(?::json))`,
        [JSON.stringify(ids)],
      )
    ).map((row) => [row.id, row]),
  );
  const out: TreeNode[] = [];
  const seen = new Set<string>();
  const visit = (id: string, depth: number, parentId: string | null): void => {
    const row = nodes.get(id);
    const truncated = seen.has(id);
    out.push({
      id,
      title: row?.title ?? '(missing)',
      status: row?.status ?? 'open',
      type: row?.issue_type ?? 'task',
      depth,
      parent_id: parentId,
      truncated,
    });
    if (truncated || depth >= maxDepth) return;
    seen.add(id);
    for (const child of next.get(id) ?? []) visit(child, depth + 1, id);
  };
  visit(rootId, 0, null);
  return out;
}

/** Whether `to` is reachable from `from` over ordering edges (issue → depends_on). */
export async function reaches(sql: SqlRunner, from: string, to: string): Promise<boolean> {
  const row = await sql.get<{ hit: number }>(
    `WITH RECURSIVE reach(id) AS (
        SELECT ?::text COLLATE "C"
        UNION
        SELECT d.depends_on_id FROM reach r JOIN dependencies d ON d.issue_id = r.id
         WHERE d.type IN (${orderingList})
      ) SELECT 1 AS hit FROM reach WHERE id = ? LIMIT 1`,
    [from, to],
  );
  return row !== undefined;
}

/** Cycles among ordering edges, each sorted by id. */
export async function findCycles(sql: SqlRunner): Promise<string[][]> {
  const rows = await sql.all<{ issue_id: string; depends_on_id: string }>(
    `SELECT issue_id, depends_on_id FROM dependencies WHERE type IN (${orderingList}) ORDER BY seq`,
  );
  const edges = new Map<string, string[]>();
  for (const { issue_id, depends_on_id } of rows) {
    const list = edges.get(issue_id) ?? [];
    list.push(depends_on_id);
    edges.set(issue_id, list);
  }
  return cyclesOf(edges);
}
