// The ready set, exactly as classic beads: open, not deferred, not blocked by an unclosed
// `blocks` / `conditional-blocks` edge, and not under a blocked ancestor (`parent-child` passes
// blocking down, transitively). `related`, `discovered-from` and the rest never block.
import type Database from 'better-sqlite3';
import type { ReadyFilter, SortPolicy } from '../store.js';
import { prepared } from './statements.js';

type Db = Database.Database;

const recentMs = 48 * 60 * 60 * 1000;

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

/**
 * The first `limit` in hybrid order without sorting every open bead: the recent ones by priority
 * and the older ones by age each walk an index and stop at `limit`; then the two short lists merge.
 */
function hybridTop(where: string, limit: string): string {
  return `SELECT id FROM (
      SELECT * FROM (SELECT i.id, 0 AS grp, i.priority AS p, i.created_ms AS c FROM beads i
        WHERE ${where} AND i.created_ms >= :recent ORDER BY i.priority, i.created_ms, i.id ${limit})
      UNION ALL
      SELECT * FROM (SELECT i.id, 1 AS grp, NULL AS p, i.created_ms AS c FROM beads i
        WHERE ${where} AND i.created_ms < :recent ORDER BY i.created_ms, i.id ${limit}))
    ORDER BY grp, p, c, id ${limit}`;
}

export function readyIds(db: Db, filter: ReadyFilter = {}): string[] {
  const now = (filter.now ?? new Date()).getTime();
  const where = [
    `i.status = 'open'`,
    `(i.defer_ms IS NULL OR i.defer_ms <= :now)`,
    `i.id NOT IN (SELECT id FROM blocked_cache)`,
  ];
  const params: Record<string, string | number> = { now, recent: now - recentMs };
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
  const limit = filter.limit !== undefined && filter.limit > 0 ? `LIMIT ${Math.floor(filter.limit)}` : '';
  const sort = filter.sort ?? 'hybrid';
  const sql =
    sort === 'hybrid' && limit !== ''
      ? hybridTop(where.join(' AND '), limit)
      : `SELECT i.id FROM beads i WHERE ${where.join(' AND ')} ORDER BY ${orderBy(sort)} ${limit}`;
  if (!sql.includes(':recent')) delete params.recent;
  return prepared<[Record<string, string | number>], { id: string }>(db, sql)
    .all(params)
    .map((row) => row.id);
}

export function countReady(db: Db, now: Date): number {
  const sql = `SELECT count(*) AS n FROM beads i
     WHERE i.status = 'open' AND (i.defer_ms IS NULL OR i.defer_ms <= :now)
       AND i.id NOT IN (SELECT id FROM blocked_cache)`;
  return prepared<[{ now: number }], { n: number }>(db, sql).get({ now: now.getTime() })?.n ?? 0;
}

/**
 * Every unclosed bead that is blocked, with the unclosed beads that hold it back: its own
 * blockers plus those of its blocked ancestors.
 */
export function blockedWithBlockers(db: Db): { id: string; blockers: string[] }[] {
  const sql = `WITH RECURSIVE blocked_by(id, blocker) AS (
      SELECT d.issue_id, d.depends_on_id FROM dependencies d
        JOIN beads blocker ON blocker.id = d.depends_on_id
       WHERE d.type IN ('blocks', 'conditional-blocks')
         AND blocker.status NOT IN ('closed', 'tombstone')
      UNION
      SELECT child.issue_id, b.blocker FROM blocked_by b CROSS
        JOIN dependencies child ON child.depends_on_id = b.id AND child.type = 'parent-child'
    )
    SELECT b.id, json_group_array(DISTINCT b.blocker) AS blockers FROM blocked_by b
      JOIN beads i ON i.id = b.id
     WHERE i.status NOT IN ('closed', 'tombstone')
     GROUP BY b.id ORDER BY i.priority ASC, i.created_ms ASC, b.id ASC`;
  return prepared<[], { id: string; blockers: string }>(db, sql)
    .all()
    .map((row) => ({ id: row.id, blockers: (JSON.parse(row.blockers) as string[]).sort() }));
}
