// The blocked set, kept as a table so "what is ready" is a cheap anti-join instead of a recursive
// walk over every edge (22 ms → well under 10 ms at 10k beads). A change refreshes only the beads
// it can affect: the roots it names and everything below them through `parent-child` edges.
import type Database from 'better-sqlite3';
import { prepared } from './statements.js';

type Db = Database.Database;

const unclosedBlocker = `EXISTS (
    SELECT 1 FROM dependencies d JOIN beads blocker ON blocker.id = d.depends_on_id
     WHERE d.issue_id = a.id AND d.type IN ('blocks', 'conditional-blocks')
       AND blocker.status NOT IN ('closed', 'tombstone'))`;

const blockedParentOutside = `EXISTS (
    SELECT 1 FROM dependencies p JOIN blocked_cache c ON c.id = p.depends_on_id
     WHERE p.issue_id = a.id AND p.type = 'parent-child'
       AND p.depends_on_id NOT IN (SELECT id FROM affected))`;

const affectedCte = `affected(id) AS (
    SELECT value FROM json_each(:roots)
    UNION
    SELECT child.issue_id FROM affected CROSS JOIN dependencies child
        ON child.depends_on_id = affected.id AND child.type = 'parent-child'
  )`;

/** Recomputes blocked-ness for `roots` and their descendants; everything else is unchanged by the edit. */
export function refreshBlocked(db: Db, roots: readonly string[]): void {
  if (roots.length === 0) return;
  const params = { roots: JSON.stringify([...new Set(roots)]) };
  prepared(
    db,
    `WITH RECURSIVE ${affectedCte} DELETE FROM blocked_cache WHERE id IN (SELECT id FROM affected)`,
  ).run(params);
  prepared(
    db,
    `WITH RECURSIVE ${affectedCte},
     now_blocked(id) AS (
       SELECT a.id FROM affected a WHERE ${unclosedBlocker} OR ${blockedParentOutside}
       UNION
       SELECT child.issue_id FROM now_blocked CROSS JOIN dependencies child
           ON child.depends_on_id = now_blocked.id AND child.type = 'parent-child'
     )
     INSERT OR IGNORE INTO blocked_cache (id) SELECT id FROM now_blocked`,
  ).run(params);
}

/** Recomputes the whole set (after an import, or to repair). */
export function rebuildBlocked(db: Db): void {
  db.exec(`DELETE FROM blocked_cache;
    WITH RECURSIVE now_blocked(id) AS (
      SELECT d.issue_id FROM dependencies d JOIN beads blocker ON blocker.id = d.depends_on_id
       WHERE d.type IN ('blocks', 'conditional-blocks') AND blocker.status NOT IN ('closed', 'tombstone')
      UNION
      SELECT child.issue_id FROM now_blocked CROSS JOIN dependencies child
          ON child.depends_on_id = now_blocked.id AND child.type = 'parent-child'
    )
    INSERT OR IGNORE INTO blocked_cache (id) SELECT id FROM now_blocked;`);
}

/** Beads that `id` blocks directly: the roots to refresh when `id` closes or reopens. */
export function blockedBy(db: Db, id: string): string[] {
  return prepared<[string], { issue_id: string }>(
    db,
    `SELECT issue_id FROM dependencies WHERE depends_on_id = ? AND type IN ('blocks', 'conditional-blocks')`,
  )
    .all(id)
    .map((row) => row.issue_id);
}

export const finished = (status: string): boolean => status === 'closed' || status === 'tombstone';

/** Edge types whose addition or removal can change what is blocked. */
export const affectsBlocking = (type: string): boolean =>
  type === 'blocks' || type === 'conditional-blocks' || type === 'parent-child';
