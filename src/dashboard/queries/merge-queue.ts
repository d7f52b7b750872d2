// The merge queue for the page: what waits or is merging first (in queue order), then the latest
// finished requests (merged, reworked, failed, PRs), newest first.
import type { Db } from '../../db/open.js';
import type { MergeRequest } from '../../roles/refinery/merge-queue.js';

export interface MergeQueueView {
  active: MergeRequest[];
  recent: MergeRequest[];
}

export function mergeQueue(db: Db, limit: number): MergeQueueView {
  return {
    active: db
      .prepare<[], MergeRequest>(
        `SELECT * FROM merge_requests WHERE state IN ('queued', 'merging') ORDER BY rig, id`,
      )
      .all(),
    recent: db
      .prepare<[number], MergeRequest>(
        `SELECT * FROM merge_requests WHERE state NOT IN ('queued', 'merging') ORDER BY updated_at DESC, id DESC LIMIT ?`,
      )
      .all(limit),
  };
}
