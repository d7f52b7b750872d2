// The filtered listing behind `bd list`: by status, type, assignee, labels, priority and parent.
import type Database from 'better-sqlite3';
import type { ListFilter } from '../store.js';
import { prepared } from './statements.js';

export function listIds(db: Database.Database, filter: ListFilter): string[] {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (filter.status && filter.status.length > 0) {
    where.push(`i.status IN (SELECT value FROM json_each(:statuses))`);
    params.statuses = JSON.stringify(filter.status);
  } else if (filter.all) {
    where.push(`i.status <> 'tombstone'`);
  } else {
    where.push(`i.status NOT IN ('closed', 'tombstone')`);
  }
  if (filter.issueType !== undefined) {
    where.push('i.issue_type = :issueType');
    params.issueType = filter.issueType;
  }
  if (filter.assignee !== undefined) {
    where.push('i.assignee = :assignee');
    params.assignee = filter.assignee;
  }
  if (filter.priority !== undefined) {
    where.push('i.priority = :priority');
    params.priority = filter.priority;
  }
  (filter.labels ?? []).forEach((label, n) => {
    where.push(`EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = i.id AND l.label = :label${n})`);
    params[`label${n}`] = label;
  });
  if (filter.labelsAny && filter.labelsAny.length > 0) {
    where.push(
      `EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = i.id AND l.label IN (SELECT value FROM json_each(:labelsAny)))`,
    );
    params.labelsAny = JSON.stringify(filter.labelsAny);
  }
  if (filter.parent !== undefined) {
    where.push(
      `EXISTS (SELECT 1 FROM dependencies d WHERE d.issue_id = i.id AND d.depends_on_id = :parent AND d.type = 'parent-child')`,
    );
    params.parent = filter.parent;
  }
  const limit = filter.limit !== undefined && filter.limit > 0 ? `LIMIT ${Math.floor(filter.limit)}` : '';
  const sql = `SELECT i.id FROM beads i WHERE ${where.join(' AND ')}
    ORDER BY i.priority ASC, i.created_ms ASC, i.id ASC ${limit}`;
  return prepared<[Record<string, string | number>], { id: string }>(db, sql)
    .all(params)
    .map((row) => row.id);
}
