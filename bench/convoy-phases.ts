// Where a convoy's time went, read back from the town's own ledger: for each bead, the moments it
// was hooked, its session ran, the Witness verified it and the Refinery merged it; medians per bead,
// when the dispatcher hooked the last bead and each rig's Refinery busy time.
import type { Db } from '../src/db/open.js';
import { median } from './timing.js';

const kinds = [
  'bead.hooked',
  'session.started',
  'session.ended',
  'witness.verified',
  'merge.started',
  'merge.merged',
] as const;
type Kind = (typeof kinds)[number];

export interface ConvoyPhases {
  beads: number;
  /** Median milliseconds per bead of each span. */
  worktree: number;
  session: number;
  verify: number;
  queued: number;
  merge: number;
  /** Milliseconds from the launch to the last bead's hook: how long dispatching took. */
  lastHooked: number;
  /** Per rig, the sum of its merges: the Refinery works one merge at a time. */
  refineryBusy: Map<string, number>;
}

interface Row {
  bead: string;
  rig: string;
  kind: Kind;
  ts: string;
}

export function convoyPhases(db: Db, convoyId: string, launchedAt: number): ConvoyPhases {
  const rows = db
    .prepare<[string], Row>(
      `SELECT l.bead_id AS bead, c.rig AS rig, l.kind AS kind, l.ts AS ts
         FROM ledger l JOIN convoy_beads c ON c.bead_id = l.bead_id
        WHERE c.convoy_id = ? AND l.kind IN (${kinds.map((k) => `'${k}'`).join(', ')})
        ORDER BY l.seq`,
    )
    .all(convoyId);
  const beads = new Map<string, { rig: string; at: Map<Kind, number> }>();
  for (const row of rows) {
    const bead = beads.get(row.bead) ?? { rig: row.rig, at: new Map<Kind, number>() };
    beads.set(row.bead, bead);
    // The first of each: a bead is hooked, verified and merged once when nothing goes wrong.
    if (!bead.at.has(row.kind)) bead.at.set(row.kind, Date.parse(row.ts));
  }
  const spans: Record<'worktree' | 'session' | 'verify' | 'queued' | 'merge', number[]> = {
    worktree: [],
    session: [],
    verify: [],
    queued: [],
    merge: [],
  };
  const refineryBusy = new Map<string, number>();
  let lastHooked = 0;
  for (const { rig, at } of beads.values()) {
    const span = (from: Kind, to: Kind): number | undefined => {
      const a = at.get(from);
      const b = at.get(to);
      return a === undefined || b === undefined ? undefined : b - a;
    };
    const push = (list: number[], value: number | undefined) => value !== undefined && list.push(value);
    push(spans.worktree, span('bead.hooked', 'session.started'));
    push(spans.session, span('session.started', 'session.ended'));
    push(spans.verify, span('session.ended', 'witness.verified'));
    push(spans.queued, span('witness.verified', 'merge.started'));
    const merge = span('merge.started', 'merge.merged');
    push(spans.merge, merge);
    refineryBusy.set(rig, (refineryBusy.get(rig) ?? 0) + (merge ?? 0));
    lastHooked = Math.max(lastHooked, (at.get('bead.hooked') ?? launchedAt) - launchedAt);
  }
  return {
    beads: beads.size,
    worktree: median(spans.worktree),
    session: median(spans.session),
    verify: median(spans.verify),
    queued: median(spans.queued),
    merge: median(spans.merge),
    lastHooked,
    refineryBusy,
  };
}
