// `bd stats`: counts by status, ready and blocked beads, and the average lead time of closed ones.
import { Status } from '../../../beads/model.js';
import type { Stats } from '../../../beads/store.js';
import type { SqlRunner } from '../../sql.js';
import { blockedWithBlockers, countReady } from './ready.js';

export async function storeStats(sql: SqlRunner, now: Date): Promise<Stats> {
  const rows = await sql.all<{ status: string; n: number }>(
    'SELECT status, count(*) AS n FROM beads GROUP BY status',
  );
  const counts = new Map(rows.map((row) => [row.status, row.n]));
  const of = (status: string): number => counts.get(status) ?? 0;
  return {
    total_issues: [...counts.values()].reduce((a, b) => a + b, 0) - of(Status.tombstone),
    open_issues: of(Status.open),
    in_progress_issues: of(Status.inProgress),
    closed_issues: of(Status.closed),
    blocked_issues: (await blockedWithBlockers(sql)).length,
    deferred_issues: of(Status.deferred),
    ready_issues: await countReady(sql, now),
    tombstone_issues: of(Status.tombstone),
    pinned_issues: of(Status.pinned),
    hooked_issues: of(Status.hooked),
    average_lead_time_hours: Math.round((await leadHours(sql)) * 100) / 100,
  };
}

/**
 * The mean hours from created to closed. Times are text as the tracker wrote them, so they are
 * parsed here (an unparseable one is skipped, as SQLite's julianday() skips it) rather than cast
 * in SQL, where one odd value would fail the whole query.
 */
async function leadHours(sql: SqlRunner): Promise<number> {
  const rows = await sql.all<{ created_at: string; closed_at: string }>(
    `SELECT created_at, closed_at FROM beads WHERE status = 'closed' AND closed_at IS NOT NULL`,
  );
  let sum = 0;
  let count = 0;
  for (const row of rows) {
    const hours = (Date.parse(row.closed_at) - Date.parse(row.created_at)) / 3_600_000;
    if (Number.isNaN(hours)) continue;
    sum += hours;
    count++;
  }
  return count === 0 ? 0 : sum / count;
}
