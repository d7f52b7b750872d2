// `bd stats`: counts by status, ready and blocked beads, and the average lead time of closed ones.
import type Database from 'better-sqlite3';
import { Status } from '../model.js';
import type { Stats } from '../store.js';
import { blockedWithBlockers, countReady } from './ready.js';
import { prepared } from './statements.js';

export function storeStats(db: Database.Database, now: Date): Stats {
  const counts = new Map(
    prepared<[], { status: string; n: number }>(db, 'SELECT status, count(*) AS n FROM beads GROUP BY status')
      .all()
      .map((row) => [row.status, row.n]),
  );
  const of = (status: string): number => counts.get(status) ?? 0;
  const lead = prepared<[], { hours: number | null }>(
    db,
    `SELECT avg((julianday(closed_at) - julianday(created_at)) * 24) AS hours
       FROM beads WHERE status = 'closed' AND closed_at IS NOT NULL`,
  ).get();
  return {
    total_issues: [...counts.values()].reduce((a, b) => a + b, 0) - of(Status.tombstone),
    open_issues: of(Status.open),
    in_progress_issues: of(Status.inProgress),
    closed_issues: of(Status.closed),
    blocked_issues: blockedWithBlockers(db).length,
    deferred_issues: of(Status.deferred),
    ready_issues: countReady(db, now),
    tombstone_issues: of(Status.tombstone),
    pinned_issues: of(Status.pinned),
    hooked_issues: of(Status.hooked),
    average_lead_time_hours: Math.round((lead?.hours ?? 0) * 100) / 100,
  };
}
