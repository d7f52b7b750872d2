// What each view's API answers: the town in one payload (polecats with their bead, role health,
// convoys, problems at hand), the beads board, costs from usage events, a bead's trace, the feed
// and the cached ledger verification.
import { describe, expect, it } from 'vitest';
import { movePolecat } from '../../src/roles/polecat/index.js';
import { raiseEscalation } from '../../src/roles/comms/escalations.js';
import { recordUsage } from '../../src/roles/budget/usage.js';
import type { TownServices } from '../../src/town/services.js';
import { makeDashboardTown } from './fixture.js';

const now = new Date('2030-01-02T12:00:00.000Z');

async function busyTown(town: TownServices) {
  town.db
    .prepare(
      `INSERT INTO rigs (name, prefix, git_url, branch, check_command, created_at) VALUES ('web', 'we', '/r', 'main', NULL, ?)`,
    )
    .run(now.toISOString());
  const actor = { actor: 'overseer' };
  const a = await town.beads.create({ prefix: 'we', title: 'Working bead' }, actor);
  const b = await town.beads.create(
    { prefix: 'we', title: 'Blocked bead', dependencies: [{ type: 'blocks', depends_on_id: a.id }] },
    actor,
  );
  const c = await town.beads.create({ prefix: 'we', title: 'In review', labels: ['gt:review'] }, actor);
  const d = await town.beads.create({ prefix: 'we', title: 'Ready one' }, actor);
  await town.beads.update(a.id, { status: 'in_progress' }, actor);
  await town.beads.update(c.id, { status: 'in_progress' }, actor);
  movePolecat(
    town.db,
    { rig: 'web', name: 'nux' },
    { to: 'working', bead_id: a.id, branch: 'polecat/nux/x', worktree: '/w', session_id: 'ses-1' },
  );
  town.db
    .prepare(
      `INSERT INTO sessions (id, rig, polecat, bead_id, runtime, state, started_at, heartbeat_at) VALUES ('ses-1', 'web', 'nux', ?, 'script', 'running', ?, ?)`,
    )
    .run(a.id, '2030-01-02T11:00:00.000Z', '2030-01-02T11:00:00.000Z');
  for (const [bead, day, usd] of [
    [a.id, '2030-01-01', 0.5],
    [a.id, '2030-01-02', 0.25],
    [c.id, '2030-01-02', 1],
  ] as const)
    recordUsage(
      town,
      {
        sessionId: `ses-${bead}`,
        beadId: bead,
        rig: 'web',
        agent: 'claude-code',
        actor: 'web/polecats/nux',
        inputTokens: 100,
        outputTokens: 10,
        costUsd: usd,
      },
      { now: new Date(`${day}T10:00:00.000Z`) },
    );
  raiseEscalation(
    town,
    { key: 'k', kind: 'rework_limit', rig: 'web', beadId: c.id, summary: 'rework limit reached' },
    'web/witness',
  );
  return { a, b, c, d };
}

describe('dashboard views', () => {
  it('answers the town view in one payload with polecats, roles, problems and waiting work', async () => {
    const t = await makeDashboardTown({
      now: () => now,
      stallAfterSeconds: 600,
      health: () => ({ deacon: { failures: 2, busy: false } }),
    });
    const { a } = await busyTown(t.town);
    const view = await t.json<Record<string, unknown>>('/api/town');
    expect(view).toMatchObject({
      name: 'dashtown',
      daemon: { running: false },
      polecats: [{ rig: 'web', name: 'nux', state: 'working', bead_id: a.id, bead_title: 'Working bead' }],
      escalations: [{ kind: 'rework_limit', summary: 'rework limit reached' }],
      approvals: [],
    });
    const roles = view.roles as { loop: string; state: string; failures: number }[];
    expect(roles.map((r) => r.loop)).toEqual(['deacon', 'witness:web', 'refinery:web', 'convoys']);
    expect(roles[0]).toMatchObject({ state: 'down', failures: 2 });
    const problems = view.problems as { kind: string; bead_id: string }[];
    expect(problems.map((p) => p.kind).sort()).toEqual(['escalated', 'stalled']);
    expect(problems.find((p) => p.kind === 'stalled')?.bead_id).toBe(a.id);
  });

  it('sorts beads into board columns with counts', async () => {
    const t = await makeDashboardTown();
    const { a, b, c, d } = await busyTown(t.town);
    const board = await t.json<Record<string, { count: number; cards: { id: string }[] }>>('/api/board');
    const ids = (col: string) => board[col]!.cards.map((card) => card.id);
    expect(ids('ready')).toEqual([d.id]);
    expect(ids('in_progress')).toEqual([a.id]);
    expect(ids('review')).toEqual([c.id]);
    expect(ids('blocked')).toEqual([b.id]);
    await t.town.beads.close(d.id, 'merged in abc', { actor: 'overseer' });
    const after =
      await t.json<Record<string, { count: number; cards: { id: string; note?: string }[] }>>('/api/board');
    expect(after.merged).toEqual({
      count: 1,
      cards: [expect.objectContaining({ id: d.id, note: 'merged in abc' })],
    });
  });

  it('sums costs by bead, rig, agent and day from the usage table', async () => {
    const t = await makeDashboardTown();
    const { a, c } = await busyTown(t.town);
    const costs = await t.json<{
      total: { usd: number; tokens: number };
      by_bead: { key: string; usd: number }[];
      by_day: { key: string; usd: number }[];
      by_rig: { key: string }[];
      by_agent: { key: string }[];
    }>('/api/costs');
    expect(costs.total).toEqual({ usd: 1.75, tokens: 330, unpriced: 0 });
    expect(costs.by_bead.map((r) => [r.key, r.usd])).toEqual([
      [c.id, 1],
      [a.id, 0.75],
    ]);
    expect(costs.by_day.map((r) => [r.key, r.usd])).toEqual([
      ['2030-01-01', 0.5],
      ['2030-01-02', 1.25],
    ]);
    expect(costs.by_rig.map((r) => r.key)).toEqual(['web']);
    expect(costs.by_agent.map((r) => r.key)).toEqual(['claude-code']);
  });

  it("gives a bead's trace with its cost, sessions and merges, and 404 for an unknown bead", async () => {
    const t = await makeDashboardTown();
    const { a } = await busyTown(t.town);
    const view = await t.json<{
      bead: { id: string };
      cost: { usd: number; tokens: number };
      totals: { events: number; cost_usd: number; input_tokens: number; output_tokens: number };
      kinds: Record<string, number>;
      timeline: { rows: { kind: string; summary: string }[]; next: string | null; total: number };
      sessions: { id: string }[];
    }>(`/api/trace/${a.id}`);
    expect(view.bead.id).toBe(a.id);
    expect(view.cost).toEqual({ usd: 0.75, tokens: 220 });
    // The ledger's own sums agree with the usage table's, and a small trace fits on its first page.
    expect(view.totals).toMatchObject({ cost_usd: 0.75, input_tokens: 200, output_tokens: 20 });
    expect(view.kinds['session.usage']).toBe(2);
    expect(view.timeline.rows.map((e) => e.kind)).toContain('session.usage');
    expect(view.timeline.rows.find((e) => e.kind === 'session.usage')?.summary).toMatch(
      /^usage: 100\+10 tokens/,
    );
    expect(view.timeline).toMatchObject({ next: null, total: view.totals.events });
    expect(view.sessions.map((s) => s.id)).toEqual(['ses-1']);
    expect((await t.api('/api/trace/we-nope')).status).toBe(404);
  });

  it("gives the feed a readable line for an agent's town commands and cached tokens", async () => {
    const t = await makeDashboardTown();
    const polecat = { actor: 'web/polecats/nux', bead_id: 'we-1', session_id: 'ses-1' };
    t.town.ledger.appendMany([
      {
        ...polecat,
        kind: 'agent.town_command',
        payload: { argv: ['bd', 'create', 'Fix login', '--json'], exit_code: 0 },
      },
      {
        ...polecat,
        kind: 'agent.town_command',
        payload: { argv: ['rig', 'remove', 'web'], exit_code: 2, refused: "gt rig is the Overseer's" },
      },
      {
        ...polecat,
        kind: 'session.usage',
        payload: {
          model: 'claude-sonnet-4',
          usage: { input_tokens: 120, output_tokens: 30, cache_read_tokens: 5000, cache_write_tokens: 0 },
          cost_usd: 0.0123,
        },
      },
    ]);
    const feed = await t.json<{ kind: string; summary: string }[]>('/api/feed?limit=3');
    expect(feed.map((e) => e.summary).reverse()).toEqual([
      'town command `gt bd create "Fix login" --json` → exit 0',
      "town command `gt rig remove web` refused: gt rig is the Overseer's",
      'usage: 120+30 tokens (cache 5000 read) on claude-sonnet-4, $0.0123',
    ]);
  });

  it('pages the feed newest first and verifies the ledger in the background', async () => {
    const t = await makeDashboardTown();
    await busyTown(t.town);
    const head = t.town.ledger.head().seq;
    const feed = await t.json<{ seq: number; summary: string }[]>('/api/feed?limit=3');
    expect(feed.map((e) => e.seq)).toEqual([head, head - 1, head - 2]);
    const older = await t.json<{ seq: number }[]>(`/api/feed?limit=2&before=${head - 2}`);
    expect(older.map((e) => e.seq)).toEqual([head - 3, head - 4]);
    expect((await t.json<{ state: string }>('/api/verify')).state).toBe('checking');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await t.json('/api/verify')).toMatchObject({
      state: 'intact',
      checked_seq: head,
      report: { ok: true, events: head },
    });
    t.town.db.prepare(`UPDATE ledger SET actor = 'mayor' WHERE seq = 2`).run();
    expect(
      (await t.post<{ state: string; report: { problem: { seq: number } } }>('/api/verify')).body,
    ).toMatchObject({ state: 'tampered', report: { problem: { seq: 2 } } });
  });
});
