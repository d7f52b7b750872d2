// A bead's trace for the page: the bead and its descendants — their totals (events, cost, tokens,
// first and last event), event counts by kind, sessions and merge requests from the control plane —
// and the first page of the timeline (queries/trace-timeline.ts); the rest comes by cursor. The
// whole trace is summed in SQLite from narrow columns, so a 5,000-event bead costs about what
// reading its rows does, and the page has its first screen without waiting for the last event.
import type { Bead, BeadStore } from '../../beads/index.js';
import type { Db } from '../../db/open.js';
import type { TraceBead, TraceTotals } from '../../ledger/index.js';
import type { MergeRequest } from '../../roles/refinery/merge-queue.js';
import { beadsCost } from './costs.js';
import type { TimelinePage, TraceRow } from './trace-timeline.js';
import {
  keepLayout,
  keptLayout,
  layout,
  layoutKey,
  parseCursor,
  timelinePage,
  traceRows,
} from './trace-timeline.js';

export interface TraceFamilyBead extends TraceBead {
  events: number;
}

export interface BeadTraceView {
  bead: Bead;
  /** The OpenTelemetry trace id the bead's events carry, if any. */
  trace_id: string | null;
  /** The bead and its descendants together, at `timeline.head_seq`. */
  totals: TraceTotals;
  /** Events by kind, most frequent first. */
  kinds: Record<string, number>;
  /** The bead first, then its descendants (parent before child), each with its own event count. */
  beads: TraceFamilyBead[];
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
  timeline: TimelinePage;
}

export async function beadTrace(
  db: Db,
  beads: BeadStore,
  beadId: string,
  limit: number,
): Promise<BeadTraceView> {
  const bead = await beads.require(beadId);
  const family = await withDescendants(beads, bead);
  const head = db.prepare<[], number | null>('SELECT max(seq) FROM ledger').pluck().get() ?? 0;
  const rows = traceRows(
    db,
    family.map((b) => b.id),
    head,
  );
  const perBead = new Map<string, number>();
  const kinds = new Map<string, number>();
  const slots = layout(beadId, family, rows);
  keepLayout(db, layoutKey(family, head), slots);
  for (const row of rows) {
    perBead.set(row.bead_id, (perBead.get(row.bead_id) ?? 0) + 1);
    kinds.set(row.kind, (kinds.get(row.kind) ?? 0) + 1);
  }
  return {
    bead,
    trace_id: rows.find((row) => row.bead_id === beadId && row.trace_id !== null)?.trace_id ?? null,
    totals: totalsOf(rows),
    kinds: Object.fromEntries([...kinds].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    beads: family.map((b) => ({ ...b, events: perBead.get(b.id) ?? 0 })),
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
    timeline: timelinePage(db, slots, head, 0, limit),
  };
}

/** A later page of a bead's timeline, from the snapshot its cursor names. */
export async function beadTimeline(
  db: Db,
  beads: BeadStore,
  beadId: string,
  cursor: string,
  limit: number,
): Promise<TimelinePage> {
  const { head, offset } = parseCursor(cursor);
  const family = await withDescendants(beads, await beads.require(beadId));
  const key = layoutKey(family, head);
  let slots = keptLayout(db, key);
  if (slots === undefined) {
    slots = layout(
      beadId,
      family,
      traceRows(
        db,
        family.map((b) => b.id),
        head,
      ),
    );
    keepLayout(db, key, slots);
  }
  return timelinePage(db, slots, head, offset, limit);
}

function totalsOf(rows: readonly TraceRow[]): TraceTotals {
  let usd = 0;
  let input = 0;
  let output = 0;
  for (const row of rows) {
    usd += row.cost_usd;
    input += row.input_tokens;
    output += row.output_tokens;
  }
  return {
    events: rows.length,
    cost_usd: Math.round(usd * 1e6) / 1e6,
    input_tokens: input,
    output_tokens: output,
    // Timestamps may be given at append (usage reports carry theirs): min and max, not first and last.
    first_ts: rows.reduce<string | null>((min, row) => (min === null || row.ts < min ? row.ts : min), null),
    last_ts: rows.reduce<string | null>((max, row) => (max === null || row.ts > max ? row.ts : max), null),
  };
}

async function withDescendants(beads: BeadStore, root: Bead): Promise<TraceBead[]> {
  const out: TraceBead[] = [summary(root)];
  const queue = [root.id];
  const seen = new Set(queue);
  for (let parent = queue.shift(); parent !== undefined; parent = queue.shift()) {
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
