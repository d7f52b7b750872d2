// A bead trace's timeline, paged. The causal tree `gt trace` prints (events that open a span, with
// the events naming that span beneath them; child beads after their parent) is laid out flat, in
// the order the tree reads, each row carrying its depth: any page of it renders on its own. The
// layout needs only the ledger's narrow columns; payloads are read and described for one page
// only. A cursor pins the ledger head the first page saw, so later pages read the same snapshot
// (events recorded meanwhile neither shift nor repeat rows; the page offers to reload for them).
import type { Db } from '../../db/open.js';
import { invalidInput } from '../../errors.js';
import type { LedgerRow, TraceBead } from '../../ledger/index.js';
import { describeEvent, eventCost } from '../../ledger/index.js';
import { rowToEvent } from '../../ledger/event.js';

/** One ledger row's place in the trace: what the layout and the summary need, no payload. */
export interface TraceRow {
  seq: number;
  ts: string;
  kind: string;
  bead_id: string;
  trace_id: string | null;
  span_id: string | null;
  parent_span_id: string | null;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
}

export interface TimelineEvent {
  type: 'event';
  seq: number;
  ts: string;
  kind: string;
  actor: string;
  summary: string;
  bead: string;
  /** Depth in its bead's span tree: 0 for an event under the bead itself. */
  depth: number;
  span_id?: string;
  cost_usd?: number;
}

/** Where a child bead's events begin (the root bead's come first, without a heading). */
export interface TimelineBead {
  type: 'bead';
  bead: TraceBead;
  /** 1 for a child of the root, 2 for a grandchild… */
  level: number;
  events: number;
}

export type TimelineRow = TimelineEvent | TimelineBead;

export interface TimelinePage {
  rows: TimelineRow[];
  /** The cursor of the next page; null at the end. */
  next: string | null;
  offset: number;
  /** Rows in the whole timeline (events and child-bead headings) at `head_seq`. */
  total: number;
  head_seq: number;
}

// `cost_usd ?? total_cost_usd` and `usage.*_tokens` as numbers, as eventCost reads them; the
// instr() guard keeps SQLite from parsing the payloads of the many events that report no cost.
const num = (path: string): string =>
  `(CASE WHEN json_type(payload, '${path}') IN ('integer', 'real') THEN json_extract(payload, '${path}') ELSE 0 END)`;
const costSql = `CASE WHEN instr(payload, 'cost_usd') = 0 THEN 0
  WHEN coalesce(json_type(payload, '$.cost_usd'), 'null') = 'null' THEN ${num('$.total_cost_usd')}
  ELSE ${num('$.cost_usd')} END`;
const tokensSql = (name: string): string =>
  `CASE WHEN instr(payload, '${name}') = 0 THEN 0 ELSE ${num(`$.usage.${name}`)} END`;

export function traceRows(db: Db, beadIds: readonly string[], head: number): TraceRow[] {
  const marks = beadIds.map(() => '?').join(', ');
  return db
    .prepare<unknown[], TraceRow>(
      `SELECT seq, ts, kind, bead_id, trace_id, span_id, parent_span_id, ${costSql} AS cost_usd,
         ${tokensSql('input_tokens')} AS input_tokens, ${tokensSql('output_tokens')} AS output_tokens
       FROM ledger WHERE bead_id IN (${marks}) AND seq <= ? ORDER BY seq`,
    )
    .all(...beadIds, head);
}

type Slot = { type: 'event'; row: TraceRow; depth: number } | (Omit<TimelineBead, 'type'> & { type: 'bead' });

/** The timeline's rows in reading order: the root's span tree, then each child bead's, depth-first. */
export function layout(root: string, family: readonly TraceBead[], rows: readonly TraceRow[]): Slot[] {
  const byBead = new Map<string, TraceRow[]>();
  for (const row of rows) {
    const list = byBead.get(row.bead_id);
    if (list) list.push(row);
    else byBead.set(row.bead_id, [row]);
  }
  const out: Slot[] = [];
  const seen = new Set<string>();
  const visit = (bead: TraceBead, level: number): void => {
    seen.add(bead.id);
    const own = byBead.get(bead.id) ?? [];
    if (level > 0) out.push({ type: 'bead', bead, level, events: own.length });
    for (const [row, depth] of spanOrder(own)) out.push({ type: 'event', row, depth });
    for (const child of family) if (child.parent === bead.id && !seen.has(child.id)) visit(child, level + 1);
  };
  const rootBead = family.find((b) => b.id === root);
  if (rootBead) visit(rootBead, 0);
  return out;
}

/** buildTrace's span tree (ledger/trace.ts), read depth-first: [row, depth] in reading order. */
function spanOrder(rows: readonly TraceRow[]): [TraceRow, number][] {
  interface Node {
    row: TraceRow;
    children: Node[];
  }
  const roots: Node[] = [];
  const spans = new Map<string, Node>();
  for (const row of rows) {
    const node: Node = { row, children: [] };
    const same = row.span_id ? spans.get(row.span_id) : undefined;
    const parent = same ?? (row.parent_span_id ? spans.get(row.parent_span_id) : undefined);
    (parent ? parent.children : roots).push(node);
    if (row.span_id && !same) spans.set(row.span_id, node);
  }
  // An explicit stack: a long chain of spans must not exhaust the call stack.
  const out: [TraceRow, number][] = [];
  const stack: [Node, number][] = roots.map((node): [Node, number] => [node, 0]).reverse();
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [node, depth] = top;
    out.push([node.row, depth]);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i] as Node, depth + 1]);
  }
  return out;
}

/** Reads and describes the events of `slots[offset, offset + limit)`. */
export function timelinePage(
  db: Db,
  slots: readonly Slot[],
  head: number,
  offset: number,
  limit: number,
): TimelinePage {
  const window = slots.slice(offset, offset + limit);
  const seqs = window.flatMap((slot) => (slot.type === 'event' ? [slot.row.seq] : []));
  const full = new Map<number, LedgerRow>();
  for (let i = 0; i < seqs.length; i += 500) {
    const chunk = seqs.slice(i, i + 500);
    const marks = chunk.map(() => '?').join(', ');
    for (const row of db
      .prepare<number[], LedgerRow>(`SELECT * FROM ledger WHERE seq IN (${marks})`)
      .all(...chunk))
      full.set(row.seq, row);
  }
  const rows = window.map((slot): TimelineRow => {
    if (slot.type === 'bead') return slot;
    const row = full.get(slot.row.seq);
    if (row === undefined) throw new Error(`ledger event #${slot.row.seq} vanished while reading its trace`);
    const event = rowToEvent(row);
    const cost = eventCost(event).usd;
    return {
      type: 'event',
      seq: row.seq,
      ts: row.ts,
      kind: row.kind,
      actor: row.actor,
      summary: describeEvent(event),
      bead: slot.row.bead_id,
      depth: slot.depth,
      ...(row.span_id ? { span_id: row.span_id } : {}),
      ...(cost > 0 ? { cost_usd: cost } : {}),
    };
  });
  const end = offset + window.length;
  return {
    rows,
    next: end < slots.length ? cursorOf(head, end) : null,
    offset,
    total: slots.length,
    head_seq: head,
  };
}

// Paging re-reads the layout of the snapshot a cursor names. The ledger up to a head never changes,
// so a few recent layouts are kept per database (keyed by the bead family and the head): scrolling
// a long trace costs one page's payloads, not the whole trace's rows again.
const kept = new WeakMap<Db, Map<string, Slot[]>>();
const keepLayouts = 8;

export const layoutKey = (family: readonly TraceBead[], head: number): string =>
  `${head}|${family.map((b) => `${b.id}<${b.parent ?? ''}`).join(',')}`;

export function keptLayout(db: Db, key: string): Slot[] | undefined {
  const layouts = kept.get(db);
  const slots = layouts?.get(key);
  if (layouts && slots) {
    // Most recently used last: the first entry is the one to drop.
    layouts.delete(key);
    layouts.set(key, slots);
  }
  return slots;
}

export function keepLayout(db: Db, key: string, slots: Slot[]): void {
  const layouts = kept.get(db) ?? new Map<string, Slot[]>();
  kept.set(db, layouts);
  layouts.delete(key);
  layouts.set(key, slots);
  for (const oldest of layouts.keys()) {
    if (layouts.size <= keepLayouts) break;
    layouts.delete(oldest);
  }
}

export const cursorOf = (head: number, offset: number): string => `${head}.${offset}`;

export function parseCursor(text: string): { head: number; offset: number } {
  const match = /^(\d{1,15})\.(\d{1,9})$/.exec(text);
  if (!match) throw invalidInput(`cursor: "${text}" is not a timeline cursor (from a page's "next")`);
  return { head: Number(match[1]), offset: Number(match[2]) };
}
