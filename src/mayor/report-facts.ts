// What the Mayor knows about a launched convoy when it reports: each bead's place, its merge commit
// when merged, and what is stuck — open escalations on its beads (a stalled polecat, a rework or
// budget limit) and merges that failed for good. Reads only.
import type { Db } from '../db/open.js';
import type { ConvoyProgress } from '../roles/convoy/convoy-progress.js';

export interface StuckItem {
  /** `esc:<id>` or `mr:<id>`: what a report remembers having said. */
  ref: string;
  beadId: string;
  /** stall_limit, rework_limit, budget, merge_failed, … */
  reason: string;
  summary: string;
}

export interface BeadFacts {
  id: string;
  title: string;
  rig: string;
  state: string;
  mergedCommit?: string;
  prUrl?: string;
}

export interface ConvoyFacts {
  progress: ConvoyProgress;
  beads: BeadFacts[];
  stuck: StuckItem[];
}

export function convoyFacts(db: Db, progress: ConvoyProgress): ConvoyFacts {
  // An open pull request's commit is only a candidate: a merge commit is reported only once merged.
  const merged = db.prepare<[string], { merged_commit: string | null; pr_url: string | null }>(
    `SELECT CASE WHEN state = 'merged' THEN merged_commit END AS merged_commit, pr_url FROM merge_requests
      WHERE bead_id = ? AND state IN ('merged', 'pr_open') ORDER BY id DESC LIMIT 1`,
  );
  const escalations = db.prepare<[string], { id: number; kind: string; summary: string }>(
    `SELECT id, kind, summary FROM escalations WHERE bead_id = ? AND state <> 'closed' ORDER BY id`,
  );
  const failedMerge = db.prepare<[string], { id: number; detail: string | null }>(
    `SELECT id, detail FROM merge_requests WHERE bead_id = ? ORDER BY id DESC LIMIT 1`,
  );
  const stateOf = db.prepare<[number], { state: string }>('SELECT state FROM merge_requests WHERE id = ?');
  const beads: BeadFacts[] = [];
  const stuck: StuckItem[] = [];
  for (const bead of progress.beads) {
    const merge = merged.get(bead.id);
    beads.push({
      id: bead.id,
      title: bead.title,
      rig: bead.rig,
      state: bead.state,
      ...(merge?.merged_commit ? { mergedCommit: merge.merged_commit } : {}),
      ...(merge?.pr_url ? { prUrl: merge.pr_url } : {}),
    });
    if (bead.state === 'closed') continue;
    for (const row of escalations.all(bead.id))
      stuck.push({ ref: `esc:${row.id}`, beadId: bead.id, reason: row.kind, summary: row.summary });
    const last = failedMerge.get(bead.id);
    if (last && stateOf.get(last.id)?.state === 'failed') {
      stuck.push({
        ref: `mr:${last.id}`,
        beadId: bead.id,
        reason: 'merge_failed',
        summary: last.detail ?? 'the Refinery could not merge it',
      });
    }
  }
  return { progress, beads, stuck };
}
