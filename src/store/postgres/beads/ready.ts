// The ready set, exactly as classic beads and the SQLite store: open, not deferred, not in the
// blocked cache (unclosed `blocks` / `conditional-blocks` edges, passed down `parent-child`).
// Also the blocked listing with each bead's blockers, and `bd list`'s filtered listing.
import type { ListFilter, ReadyFilter, SortPolicy } from '../../../beads/store.js';
import type { SqlRunner, SqlValue } from '../../sql.js';
import { named } from './text.js';

const recentMs = 48 * 60 * 60 * 1000;
const notBlocked = 'NOT EXISTS (SELECT 1 FROM blocked_cache bc WHERE bc.id = i.id)';

function orderBy(sort: SortPolicy): string {
  switch (sort) {
    case 'priority':
      return 'i.priority ASC, i.created_ms ASC, i.id ASC';
    case 'oldest':
      return 'i.created_ms ASC, i.id ASC';
    case 'hybrid':
      // Recent beads (48 h) by priority first; older ones by age, so nothing starves.
      return `CASE WHEN i.created_ms >= :recent THEN 0 ELSE 1 END,
              CASE WHEN i.created_ms >= :recent THEN i.priority ELSE NULL END,
              i.created_ms ASC, i.id ASC`;
  }
}

/** The first `limit` in hybrid order: each half walks its partial index and stops at `limit`. */
function hybridTop(where: string, limit: string): string {
  return `SELECT id FROM (
      (SELECT i.id, 0 AS grp, i.priority AS p, i.created_ms AS c FROM beads i
        WHERE ${where} AND i.created_ms >= :recent ORDER BY i.priority, i.created_ms, i.id ${limit})
      UNION ALL
      (SELECT i.id, 1 AS grp, NULL AS p, i.created_ms AS c FROM beads i
        WHERE ${where} AND i.created_ms < :recent ORDER BY i.created_ms, i.id ${limit})) top
    ORDER BY grp, p, c, id ${limit}`;
}

/** The WHERE clause of the ready set under `filter`, with its `:name` values. */
export function readyWhere(filter: ReadyFilter, now: number): [string, Record<string, SqlValue>] {
  const where = [`i.status = 'open'`, `(i.defer_ms IS NULL OR i.defer_ms <= :now)`, notBlocked];
  const params: Record<string, SqlValue> = { now, recent: now - recentMs };
  if (filter.prefix !== undefined) {
    where.push(`i.id >= :prefixLow AND i.id < :prefixHigh`);
    params.prefixLow = `${filter.prefix}-`;
    params.prefixHigh = `${filter.prefix}.`; // '.' sorts right after '-'
  }
  if (filter.assignee !== undefined) {
    where.push('i.assignee = :assignee');
    params.assignee = filter.assignee;
  }
  if (filter.unassigned) where.push(`(i.assignee IS NULL OR i.assignee = '')`);
  if (filter.issueType !== undefined) {
    where.push('i.issue_type = :issueType');
    params.issueType = filter.issueType;
  }
  if (filter.priority !== undefined) {
    where.push('i.priority = :priority');
    params.priority = filter.priority;
  }
  (filter.labels ?? []).forEach((label, n) => {
    where.push(`EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = i.id AND l.label = :label${n})`);
    params[`label${n}`] = label;
  });
  return [where.join(' AND '), params];
}

export function limitClause(limit: number | undefined): string {
  return limit !== undefined && limit > 0 ? `LIMIT ${Math.floor(limit)}` : '';
}

export async function readyIds(sql: SqlRunner, filter: ReadyFilter = {}): Promise<string[]> {
  const now = (filter.now ?? new Date()).getTime();
  const [where, params] = readyWhere(filter, now);
  const limit = limitClause(filter.limit);
  const sort = filter.sort ?? 'hybrid';
  const text =
    sort === 'hybrid' && limit !== ''
      ? hybridTop(where, limit)
      : `SELECT i.id FROM beads i WHERE ${where} ORDER BY ${orderBy(sort)} ${limit}`;
  const rows = await sql.all<{ id: string }>(...named(text, params));
  return rows.map((row) => row.id);
}

export async function countReady(sql: SqlRunner, now: Date): Promise<number> {
  const [where, params] = readyWhere({}, now.getTime());
  const row = await sql.get<{ n: number }>(
    ...named(`SELECT count(*) AS n FROM beads i WHERE ${where}`, params),
  );
  return row?.n ?? 0;
}

/** Every unclosed blocked bead with the unclosed beads holding it back (its own and its ancestors'). */
export async function blockedWithBlockers(sql: SqlRunner): Promise<{ id: string; blockers: string[] }[]> {
  const rows = await sql.all<{ id: string; blockers: string[] }>(`WITH RECURSIVE blocked_by(id, blocker) AS (
      SELECT d.issue_id, d.depends_on_id FROM dependencies d
        JOIN beads blocker ON blocker.id = d.depends_on_id
       WHERE d.type IN ('blocks', 'conditional-blocks')
         AND blocker.status NOT IN ('closed', 'tombstone')
      UNION
      SELECT child.issue_id, b.blocker FROM blocked_by b
        JOIN dependencies child ON child.depends_on_id = b.id AND child.type = 'parent-child'
    )
    SELECT b.id, array_agg(DISTINCT b.blocker) AS blockers FROM blocked_by b
      JOIN beads i ON i.id = b.id
     WHERE i.status NOT IN ('closed', 'tombstone')
     GROUP BY b.id, i.priority, i.created_ms ORDER BY i.priority ASC, i.created_ms ASC, b.id ASC`);
  return rows.map((row) => ({ id: row.id, blockers: [...row.blockers].sort() }));
}

export async function listIds(sql: SqlRunner, filter: ListFilter): Promise<string[]> {
  const where: string[] = [];
  const params: Record<string, SqlValue> = {};
  if (filter.status && filter.status.length > 0) {
    where.push(`i.status IN (SELECT json_array_elements_text(:statuses::json))`);
    params.statuses = JSON.stringify(filter.status);
  } else if (filter.all) {
    where.push(`i.status <> 'tombstone'`);
  } else {
    where.push(`i.status NOT IN ('closed', 'tombstone')`);
  }
  for (const [column, value] of [
    ['issue_type', filter.issueType],
    ['assignee', filter.assignee],
    ['priority', filter.priority],
  ] as const) {
    if (value === undefined) continue;
    where.push(`i.${column} = :${column}`);
    params[column] = value;
  }
  (filter.labels ?? []).forEach((label, n) => {
    where.push(`EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = i.id AND l.label = :label${n})`);
    params[`label${n}`] = label;
  });
  if (filter.labelsAny && filter.labelsAny.length > 0) {
    where.push(`EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = i.id
      AND l.label IN (SELECT json_array_elements_text(:labelsAny::json)))`);
    params.labelsAny = JSON.stringify(filter.labelsAny);
  }
  if (filter.parent !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM dependencies d
      WHERE d.issue_id = i.id AND d.depends_on_id = :parent AND d.type = 'parent-child')`);
    params.parent = filter.parent;
  }
  const text = `SELECT i.id FROM beads i WHERE ${where.join(' AND ')}
    ORDER BY i.priority ASC, i.created_ms ASC, i.id ASC ${limitClause(filter.limit)}`;
  const rows = await sql.all<{ id: string }>(...named(text, params));
  return rows.map((row) => row.id);
}
