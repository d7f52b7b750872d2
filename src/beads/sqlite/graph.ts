// Walks over the dependency graph: trees for `bd dep tree`, reachability to refuse edges that
// would close a cycle, and strongly connected components for `bd dep cycles`.
import type Database from 'better-sqlite3';
import type { Status } from '../model.js';
import type { TreeNode } from '../store.js';
import { cyclesOf } from '../cycles.js';
import { prepared } from './statements.js';

type Db = Database.Database;

/** Edge types whose cycles are errors: they order work, so a cycle means nothing can start. */
export const orderingTypes = ['blocks', 'conditional-blocks', 'waits-for', 'parent-child'] as const;
const orderingList = orderingTypes.map((type) => `'${type}'`).join(', ');

export function dependencyTree(db: Db, rootId: string, maxDepth: number, reverse: boolean): TreeNode[] {
  const node = prepared<[string], { id: string; title: string; status: Status; issue_type: string }>(
    db,
    'SELECT id, title, status, issue_type FROM beads WHERE id = ?',
  );
  const next = prepared<[string], { id: string }>(
    db,
    reverse
      ? 'SELECT issue_id AS id FROM dependencies WHERE depends_on_id = ? ORDER BY rowid'
      : 'SELECT depends_on_id AS id FROM dependencies WHERE issue_id = ? ORDER BY rowid',
  );
  const out: TreeNode[] = [];
  const seen = new Set<string>();
  const visit = (id: string, depth: number, parentId: string | null): void => {
    const row = node.get(id);
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
    for (const child of next.all(id)) visit(child.id, depth + 1, id);
  };
  visit(rootId, 0, null);
  return out;
}

/** Whether `to` is reachable from `from` over ordering edges (issue → depends_on). */
export function reaches(db: Db, from: string, to: string): boolean {
  const sql = `WITH RECURSIVE reach(id) AS (
      SELECT ? UNION
      SELECT d.depends_on_id FROM reach r CROSS JOIN dependencies d ON d.issue_id = r.id
       WHERE d.type IN (${orderingList})
    ) SELECT 1 AS hit FROM reach WHERE id = ? LIMIT 1`;
  return prepared<[string, string], { hit: number }>(db, sql).get(from, to) !== undefined;
}

/** Strongly connected components over ordering edges; each cycle sorted by id. */
export function findCycles(db: Db): string[][] {
  const edges = new Map<string, string[]>();
  const rows = prepared<[], { issue_id: string; depends_on_id: string }>(
    db,
    `SELECT issue_id, depends_on_id FROM dependencies WHERE type IN (${orderingList})`,
  ).all();
  for (const { issue_id, depends_on_id } of rows) {
    const list = edges.get(issue_id) ?? [];
    list.push(depends_on_id);
    edges.set(issue_id, list);
  }
  return cyclesOf(edges);
}
