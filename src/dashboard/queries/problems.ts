// Problems the Overseer should see first: stalled polecats (no heartbeat for longer than the
// Witness's stall limit), reworked beads still open, open escalations and over-budget work.
// Read-only queries over the control-plane tables; an empty list means the town is healthy.
import type { Db } from '../../db/open.js';
import { reworkLabel } from '../../roles/polecat/polecat-done.js';

export const problemKinds = ['stalled', 'reworked', 'escalated', 'over_budget', 'blocked'] as const;
export type ProblemKind = (typeof problemKinds)[number];

export interface Problem {
  kind: ProblemKind;
  summary: string;
  bead_id: string | null;
  rig: string | null;
  since: string;
}

export function findProblems(db: Db, now: Date, stallAfterSeconds: number): Problem[] {
  const problems: Problem[] = [];
  const stallBefore = new Date(now.getTime() - stallAfterSeconds * 1000).toISOString();
  const stalled = db
    .prepare<[string], { rig: string; polecat: string; bead_id: string; heartbeat_at: string }>(
      `SELECT rig, polecat, bead_id, heartbeat_at FROM sessions
        WHERE state = 'running' AND heartbeat_at < ? ORDER BY heartbeat_at`,
    )
    .all(stallBefore);
  for (const s of stalled)
    problems.push({
      kind: 'stalled',
      summary: `${s.rig}/polecats/${s.polecat} silent since ${s.heartbeat_at}`,
      bead_id: s.bead_id,
      rig: s.rig,
      since: s.heartbeat_at,
    });
  const reworked = db
    .prepare<[string], { id: string; title: string; updated_at: string }>(
      `SELECT b.id, b.title, b.updated_at FROM beads b JOIN labels l ON l.issue_id = b.id
        WHERE l.label = ? AND b.status NOT IN ('closed', 'tombstone') ORDER BY b.updated_at`,
    )
    .all(reworkLabel);
  for (const b of reworked)
    problems.push({
      kind: 'reworked',
      summary: `${b.id} sent back for rework: ${b.title}`,
      bead_id: b.id,
      rig: null,
      since: b.updated_at,
    });
  const escalations = db
    .prepare<
      [],
      {
        kind: string;
        rig: string | null;
        bead_id: string | null;
        summary: string;
        count: number;
        created_at: string;
      }
    >(
      `SELECT kind, rig, bead_id, summary, count, created_at FROM escalations WHERE state = 'open' ORDER BY id`,
    )
    .all();
  for (const e of escalations)
    problems.push({
      // `work_blocked`: the town cannot run work at all (no sandbox, a rig's mirror gone…).
      kind: e.kind === 'budget' ? 'over_budget' : e.kind === 'work_blocked' ? 'blocked' : 'escalated',
      summary: `${e.summary}${e.count > 1 ? ` (×${e.count})` : ''}`,
      bead_id: e.bead_id,
      rig: e.rig,
      since: e.created_at,
    });
  const overBudget = db
    .prepare<[], { rig: string; polecat: string; bead_id: string; ended_at: string | null }>(
      `SELECT s.rig, s.polecat, s.bead_id, s.ended_at FROM sessions s JOIN beads b ON b.id = s.bead_id
        WHERE s.outcome = 'budget_exceeded' AND b.status NOT IN ('closed', 'tombstone')
        ORDER BY s.ended_at`,
    )
    .all();
  for (const s of overBudget)
    problems.push({
      kind: 'over_budget',
      summary: `${s.bead_id}: ${s.rig}/polecats/${s.polecat} ran out of budget`,
      bead_id: s.bead_id,
      rig: s.rig,
      since: s.ended_at ?? '',
    });
  return problems;
}
