// "What happened and why": the causal tree of a bead. Events that open a span (a session, a tool
// call) become nodes; events naming that span as parent (or sharing it) hang under them; the
// rest sit under the bead in time order. Child beads nest under their parent with their own trees.
import type { LedgerEvent } from './event.js';
import { describeEvent, eventCost } from './describe.js';

export interface TraceBead {
  id: string;
  title: string;
  status: string;
  /** Its parent in the trace (parent-child edge), if that parent is traced too. */
  parent?: string;
}

export interface TraceNode {
  seq: number;
  ts: string;
  kind: string;
  actor: string;
  summary: string;
  span_id?: string;
  cost_usd?: number;
  children: TraceNode[];
}

export interface TraceTotals {
  events: number;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
  first_ts: string | null;
  last_ts: string | null;
}

export interface BeadTrace {
  bead: TraceBead;
  trace_id: string | null;
  events: TraceNode[];
  children: BeadTrace[];
  totals: TraceTotals;
}

/** `causes`: events the root descends from through parent spans (`spanAncestors`), shown above it. */
export function buildTrace(
  root: string,
  beads: readonly TraceBead[],
  events: readonly LedgerEvent[],
  causes: readonly LedgerEvent[] = [],
): BeadTrace {
  const byBead = new Map<string, LedgerEvent[]>();
  for (const event of events) {
    if (event.bead_id === undefined) continue;
    const list = byBead.get(event.bead_id) ?? [];
    list.push(event);
    byBead.set(event.bead_id, list);
  }
  const known = new Map(beads.map((bead) => [bead.id, bead]));
  const build = (id: string, seen: Set<string>): BeadTrace => {
    seen.add(id);
    const own = (byBead.get(id) ?? []).sort((a, b) => a.seq - b.seq);
    const children = beads.filter((b) => b.parent === id && !seen.has(b.id)).map((b) => build(b.id, seen));
    const totals = totalsOf(own);
    for (const child of children) addTotals(totals, child.totals);
    return {
      bead: known.get(id) ?? { id, title: '(unknown bead)', status: 'unknown' },
      trace_id: own.find((e) => e.trace_id !== undefined)?.trace_id ?? null,
      events: spanTree(id === root ? withCauses(own, causes) : own),
      children,
      totals,
    };
  };
  return build(root, new Set());
}

function withCauses(own: readonly LedgerEvent[], causes: readonly LedgerEvent[]): LedgerEvent[] {
  const seqs = new Set(own.map((event) => event.seq));
  return [...causes.filter((event) => !seqs.has(event.seq)), ...own].sort((a, b) => a.seq - b.seq);
}

function spanTree(events: readonly LedgerEvent[]): TraceNode[] {
  const roots: TraceNode[] = [];
  const spans = new Map<string, TraceNode>();
  for (const event of events) {
    const cost = eventCost(event).usd;
    const node: TraceNode = {
      seq: event.seq,
      ts: event.ts,
      kind: event.kind,
      actor: event.actor,
      summary: describeEvent(event),
      ...(event.span_id ? { span_id: event.span_id } : {}),
      ...(cost > 0 ? { cost_usd: cost } : {}),
      children: [],
    };
    const sameSpan = event.span_id ? spans.get(event.span_id) : undefined;
    const parent = sameSpan ?? (event.parent_span_id ? spans.get(event.parent_span_id) : undefined);
    (parent ? parent.children : roots).push(node);
    if (event.span_id && !sameSpan) spans.set(event.span_id, node);
  }
  return roots;
}

function totalsOf(events: readonly LedgerEvent[]): TraceTotals {
  const totals: TraceTotals = {
    events: 0,
    cost_usd: 0,
    input_tokens: 0,
    output_tokens: 0,
    first_ts: null,
    last_ts: null,
  };
  for (const event of events) {
    const cost = eventCost(event);
    addTotals(totals, {
      events: 1,
      cost_usd: cost.usd,
      input_tokens: cost.inputTokens,
      output_tokens: cost.outputTokens,
      first_ts: event.ts,
      last_ts: event.ts,
    });
  }
  return totals;
}

function addTotals(into: TraceTotals, from: TraceTotals): void {
  into.events += from.events;
  into.cost_usd = Math.round((into.cost_usd + from.cost_usd) * 1e6) / 1e6;
  into.input_tokens += from.input_tokens;
  into.output_tokens += from.output_tokens;
  if (from.first_ts !== null && (into.first_ts === null || from.first_ts < into.first_ts))
    into.first_ts = from.first_ts;
  if (from.last_ts !== null && (into.last_ts === null || from.last_ts > into.last_ts))
    into.last_ts = from.last_ts;
}
