// A bead's trace for the page: the bead and its descendants, their ledger events as the causal tree
// `gt trace` prints (sessions, messages, reasoning, tool calls with policy decisions, checks,
// merges, cost), plus the bead's sessions and merge requests from the control plane.
import type { Bead, BeadStore } from '../../beads/index.js';
import type { Db } from '../../db/open.js';
import type { BeadTrace, LedgerEvent, TraceBead } from '../../ledger/index.js';
import { buildTrace, queryEvents } from '../../ledger/index.js';
import type { MergeRequest } from '../../roles/merge-queue.js';
import { beadsCost } from './costs.js';

export interface BeadTraceView {
  bead: Bead;
  trace: BeadTrace;
  /** The sessions' usage of the bead and its descendants. */
  cost: { usd: number; tokens: number };
  sessions: {
    id: string;
    rig: string;
    polecat: string;
    runtime: string;
    state: string;
    outcome: string | null;
    tool_calls: number;
    started_at: string;
    ended_at: string | null;
  }[];
  merges: MergeRequest[];
}

export async function beadTrace(db: Db, beads: BeadStore, beadId: string): Promise<BeadTraceView> {
  const bead = await beads.require(beadId);
  const family = await withDescendants(beads, bead);
  const events: LedgerEvent[] = family.flatMap((b) => queryEvents(db, { beadId: b.id }));
  return {
    bead,
    trace: buildTrace(beadId, family, events),
    cost: beadsCost(
      db,
      family.map((b) => b.id),
    ),
    sessions: db
      .prepare<[string], BeadTraceView['sessions'][number]>(
        `SELECT id, rig, polecat, runtime, state, outcome, tool_calls, started_at, ended_at
           FROM sessions WHERE bead_id = ? ORDER BY started_at`,
      )
      .all(beadId),
    merges: db
      .prepare<[string], MergeRequest>('SELECT * FROM merge_requests WHERE bead_id = ? ORDER BY id')
      .all(beadId),
  };
}

async function withDescendants(beads: BeadStore, root: Bead): Promise<TraceBead[]> {
  const out: TraceBead[] = [summary(root)];
  const queue = [root.id];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const child of await beads.list({ parent, all: true })) {
      if (seen.has(child.id)) continue;
      seen.add(child.id);
      out.push({ ...summary(child), parent });
      queue.push(child.id);
    }
  }
  return out;
}

const summary = (bead: Bead): TraceBead => ({ id: bead.id, title: bead.title, status: bead.status });
