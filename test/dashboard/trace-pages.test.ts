// A large bead trace over the API: the summary (totals, kinds, the bead family) is whole at once,
// the timeline comes in pages, and the pages read in order are exactly the causal tree `gt trace`
// builds (ledger/trace.ts), row for row and depth for depth, child beads after their parent. A
// cursor pins its snapshot: events recorded while the Overseer pages neither shift nor repeat rows.
import { describe, expect, it } from 'vitest';
import type { BeadTrace, LedgerEventInput, TraceNode } from '../../src/ledger/index.js';
import { buildTrace, queryEvents } from '../../src/ledger/index.js';
import type { TraceFamilyBead } from '../../src/dashboard/queries/trace.js';
import type { TimelinePage, TimelineRow } from '../../src/dashboard/queries/trace-timeline.js';
import type { TownServices } from '../../src/town/services.js';
import { makeDashboardTown } from './fixture.js';

const polecat = 'web/polecats/nux';

/** A session with `calls` tool calls (each a call and its result), a message and a usage report. */
function session(bead: string, name: string, calls: number, usd: number): LedgerEventInput[] {
  const span = `${name}-s`;
  return [
    { kind: 'session.started', actor: polecat, bead_id: bead, span_id: span, payload: { agent: 'script' } },
    ...Array.from({ length: calls }, (_, i): LedgerEventInput[] => [
      {
        kind: 'tool.call',
        actor: polecat,
        bead_id: bead,
        span_id: `${name}-t${i}`,
        parent_span_id: span,
        payload: {
          tool: 'run',
          command: `npm test -- ${i}`,
          decision: i % 7 === 0 ? 'ask' : 'allow',
          rule: 'r',
        },
      },
      {
        kind: 'tool.result',
        actor: polecat,
        bead_id: bead,
        span_id: `${name}-t${i}`,
        payload: { status: 'ok', exit_code: 0 },
      },
    ]).flat(),
    { kind: 'agent.message', actor: polecat, bead_id: bead, parent_span_id: span, payload: { text: 'done' } },
    {
      kind: 'session.usage',
      actor: polecat,
      bead_id: bead,
      parent_span_id: span,
      payload: { usage: { input_tokens: 1000, output_tokens: 50 }, cost_usd: usd },
    },
    { kind: 'session.ended', actor: polecat, bead_id: bead, span_id: span, payload: { outcome: 'done' } },
  ];
}

async function bigFamily(town: TownServices) {
  const actor = { actor: 'overseer' };
  town.db
    .prepare(
      `INSERT INTO rigs (name, prefix, git_url, branch, check_command, created_at) VALUES ('web', 'we', '/r', 'main', NULL, ?)`,
    )
    .run(new Date().toISOString());
  const root = await town.beads.create({ prefix: 'we', title: 'Epic with history' }, actor);
  const child = await town.beads.create({ prefix: 'we', title: 'Part one', parent: root.id }, actor);
  const grandchild = await town.beads.create({ prefix: 'we', title: 'Detail', parent: child.id }, actor);
  town.ledger.appendMany(session(root.id, 'a', 300, 0.5));
  town.ledger.appendMany(session(child.id, 'b', 40, 0.25));
  town.ledger.appendMany(session(root.id, 'c', 20, 0.125));
  town.ledger.appendMany(session(grandchild.id, 'd', 5, 0.0625));
  return { root, child, grandchild };
}

/** The rows `gt trace`'s tree reads as, in the timeline's shape. */
function flatten(
  trace: BeadTrace,
  level = 0,
): { seq?: number; bead?: string; depth: number; summary?: string }[] {
  const nodes = (
    list: readonly TraceNode[],
    depth: number,
  ): { seq: number; depth: number; summary: string }[] =>
    list.flatMap((n) => [{ seq: n.seq, depth, summary: n.summary }, ...nodes(n.children, depth + 1)]);
  return [
    ...(level > 0 ? [{ bead: trace.bead.id, depth: level }] : []),
    ...nodes(trace.events, 0),
    ...trace.children.flatMap((child) => flatten(child, level + 1)),
  ];
}

const shape = (row: TimelineRow) =>
  row.type === 'bead'
    ? { bead: row.bead.id, depth: row.level }
    : { seq: row.seq, depth: row.depth, summary: row.summary };

describe('a large bead trace', () => {
  it('gives the whole summary at once and the timeline in pages that read as the trace tree', async () => {
    const t = await makeDashboardTown();
    const { root, child, grandchild } = await bigFamily(t.town);
    const view = await t.json<{
      totals: BeadTrace['totals'];
      kinds: Record<string, number>;
      beads: TraceFamilyBead[];
      timeline: TimelinePage;
    }>(`/api/trace/${root.id}?limit=50`);

    const family = view.beads.map(({ events: _events, ...bead }) => bead);
    const events = family.flatMap((b) => queryEvents(t.town.db, { beadId: b.id }));
    const expected = buildTrace(root.id, family, events);
    expect(view.totals).toEqual(expected.totals);
    expect(view.totals.cost_usd).toBe(0.9375);
    expect(view.kinds).toMatchObject({ 'tool.call': 365, 'tool.result': 365, 'session.started': 4 });
    // Each bead: its bead.created, then per session started + 2 per call + message, usage, ended.
    expect(view.beads.map((b) => [b.id, b.parent, b.events])).toEqual([
      [root.id, undefined, 1 + (4 + 600) + (4 + 40)],
      [child.id, root.id, 1 + (4 + 80)],
      [grandchild.id, child.id, 1 + (4 + 10)],
    ]);

    expect(view.timeline.rows).toHaveLength(50);
    const rows = [...view.timeline.rows];
    for (let next = view.timeline.next; next !== null;) {
      const page = await t.json<TimelinePage>(`/api/trace/${root.id}/timeline?cursor=${next}&limit=120`);
      expect(page.offset).toBe(rows.length);
      rows.push(...page.rows);
      next = page.next;
    }
    expect(rows).toHaveLength(view.timeline.total);
    expect(rows.map(shape)).toEqual(flatten(expected));
    // Tool calls sit under their session, their results under the call.
    const call = rows.find((r) => r.type === 'event' && r.kind === 'tool.call');
    expect(call).toMatchObject({ depth: 1, summary: 'run: npm test -- 0 → ask (r)' });
  });

  it('keeps a cursor to its snapshot while events arrive, and refuses a bad cursor', async () => {
    const t = await makeDashboardTown();
    const { root } = await bigFamily(t.town);
    const first = await t.json<{ timeline: TimelinePage }>(`/api/trace/${root.id}?limit=10`);
    const before = await t.json<TimelinePage>(
      `/api/trace/${root.id}/timeline?cursor=${first.timeline.next}&limit=1000`,
    );
    // A new call under the first session: in the tree it lands mid-timeline, before rows not yet read.
    const added = t.town.ledger.append({
      kind: 'tool.call',
      actor: polecat,
      bead_id: root.id,
      span_id: 'late',
      parent_span_id: 'a-s',
      payload: { tool: 'run', command: 'late', decision: 'allow', rule: 'r' },
    });
    const after = await t.json<TimelinePage>(
      `/api/trace/${root.id}/timeline?cursor=${first.timeline.next}&limit=1000`,
    );
    expect(after).toEqual(before);
    const fresh = await t.json<{ timeline: TimelinePage; totals: { events: number } }>(
      `/api/trace/${root.id}?limit=0`,
    );
    expect(fresh.timeline).toMatchObject({ rows: [], total: first.timeline.total + 1 });
    expect(fresh.timeline.next).not.toBeNull();
    const all = await t.json<TimelinePage>(
      `/api/trace/${root.id}/timeline?cursor=${fresh.timeline.next}&limit=1000`,
    );
    expect(all.rows.some((r) => r.type === 'event' && r.seq === added.seq)).toBe(true);

    for (const cursor of ['', 'abc', '1.-2', '12']) {
      const res = await t.api(`/api/trace/${root.id}/timeline?cursor=${cursor}`);
      expect(res.status, cursor).toBe(400);
    }
    expect((await t.api(`/api/trace/${root.id}/timeline`)).status).toBe(400);
    expect((await t.api(`/api/trace/we-nope/timeline?cursor=1.0`)).status).toBe(404);
  });
});
