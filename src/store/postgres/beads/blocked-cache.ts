// The blocked set, kept as a table so "what is ready" is a cheap anti-join instead of a recursive
// walk over every edge. A change refreshes only the beads it can affect: the roots it names and
// everything below them through `parent-child` edges. Writers that can change the set hold the
// graph lock (`lockGraph`), so two refreshes never interleave on a stale view.
import type { SqlRunner } from '../../sql.js';

const blocking = `('blocks', 'conditional-blocks')`;
const finishedList = `('closed', 'tombstone')`;

const affectedCte = `affected(id) AS (
    SELECT value COLLATE "C" FROM json_array_elements_text(?::json)
    UNION
    SELECT child.issue_id FROM affected
      JOIN dependencies child ON child.depends_on_id = affected.id AND child.type = 'parent-child'
  )`;

const unclosedBlocker = `EXISTS (
    SELECT 1 FROM dependencies d JOIN beads blocker ON blocker.id = d.depends_on_id
     WHERE d.issue_id = a.id AND d.type IN ${blocking} AND blocker.status NOT IN ${finishedList})`;

const blockedParentOutside = `EXISTS (
    SELECT 1 FROM dependencies p JOIN blocked_cache c ON c.id = p.depends_on_id
     WHERE p.issue_id = a.id AND p.type = 'parent-child'
       AND p.depends_on_id NOT IN (SELECT id FROM affected))`;

/** Recomputes blocked-ness for `roots` and their descendants; everything else is unchanged by the edit. */
export async function refreshBlocked(sql: SqlRunner, roots: readonly string[]): Promise<void> {
  if (roots.length === 0) return;
  const json = JSON.stringify([...new Set(roots)]);
  await sql.run(
    `WITH RECURSIVE ${affectedCte} DELETE FROM blocked_cache WHERE id IN (SELECT id FROM affected)`,
    [json],
  );
  await sql.run(
    `WITH RECURSIVE ${affectedCte},
     now_blocked(id) AS (
       SELECT a.id FROM affected a WHERE ${unclosedBlocker} OR ${blockedParentOutside}
       UNION
       SELECT child.issue_id FROM now_blocked
         JOIN dependencies child ON child.depends_on_id = now_blocked.id AND child.type = 'parent-child'
     )
     INSERT INTO blocked_cache (id) SELECT id FROM now_blocked ON CONFLICT DO NOTHING`,
    [json],
  );
}

/** Recomputes the whole set (after an import, or to repair). */
export async function rebuildBlocked(sql: SqlRunner): Promise<void> {
  await sql.run('DELETE FROM blocked_cache');
  await sql.run(`WITH RECURSIVE now_blocked(id) AS (
      SELECT d.issue_id FROM dependencies d JOIN beads blocker ON blocker.id = d.depends_on_id
       WHERE d.type IN ${blocking} AND blocker.status NOT IN ${finishedList}
      UNION
      SELECT child.issue_id FROM now_blocked
        JOIN dependencies child ON child.depends_on_id = now_blocked.id AND child.type = 'parent-child'
    )
    INSERT INTO blocked_cache (id) SELECT id FROM now_blocked ON CONFLICT DO NOTHING`);
}

/** Beads that `id` blocks directly: the roots to refresh when `id` closes or reopens. */
export async function blockedBy(sql: SqlRunner, id: string): Promise<string[]> {
  const rows = await sql.all<{ issue_id: string }>(
    `SELECT issue_id FROM dependencies WHERE depends_on_id = ? AND type IN ${blocking}`,
    [id],
  );
  return rows.map((row) => row.issue_id);
}

/**
 * Serializes the writers that change edges or whether a bead is finished (and so the blocked set,
 * cycle checks and id allocation) for the rest of the transaction. Claims and hooks do not take it.
 */
export async function lockGraph(sql: SqlRunner): Promise<void> {
  await sql.run(`SELECT pg_advisory_xact_lock(${graphLockKey})`);
}

/** An arbitrary key, ours alone among the town's advisory locks ('gtbe' in ASCII). */
const graphLockKey = 0x67746265;
