// Actions from the page go through the CLI's own functions and are recorded in the ledger as the
// Overseer: approve, deny, e-stop and thaw, convoys, escalations. Mistakes answer 4xx with a reason.
import { describe, expect, it } from 'vitest';
import { parkApproval } from '../../src/roles/gateway/approvals.js';
import { raiseEscalation } from '../../src/roles/comms/escalations.js';
import { queryEvents } from '../../src/ledger/index.js';
import type { TownServices } from '../../src/town/services.js';
import { makeDashboardTown } from './fixture.js';

function ask(town: TownServices, command = 'curl https://example.com') {
  return parkApproval(
    town.ledger,
    {
      session_id: 'ses-1',
      bead_id: 'hq-abc',
      rig: 'web',
      polecat: 'nux',
      tool: 'run',
      command,
      rule: 'builtin:network',
      reason: 'network access',
    },
    600,
  );
}

describe('dashboard actions', () => {
  it('approves a parked call as the overseer, through the same path as gt approve', async () => {
    const t = await makeDashboardTown();
    const approval = ask(t.town);
    const res = await t.post<{ status: string; decided_by: string }>(`/api/approvals/${approval.id}/approve`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'approved', decided_by: 'overseer' });
    const [decided] = queryEvents(t.town.db, { kind: 'approval.decided' });
    expect(decided).toMatchObject({
      actor: 'overseer',
      bead_id: 'hq-abc',
      payload: { approval_id: approval.id, decision: 'approved' },
    });
    const again = await t.post<{ error: string; code: string }>(`/api/approvals/${approval.id}/deny`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'conflict',
      error: expect.stringContaining('already approved') as string,
    });
  });

  it('denies with a reason, and rejects bad ids and unknown fields', async () => {
    const t = await makeDashboardTown();
    const approval = ask(t.town);
    expect((await t.post(`/api/approvals/x/deny`)).status).toBe(400);
    expect((await t.post(`/api/approvals/999/deny`)).status).toBe(404);
    expect((await t.post(`/api/approvals/${approval.id}/deny`, { reason: 'no', extra: 1 })).status).toBe(400);
    const res = await t.post<{ status: string; decision_reason: string }>(
      `/api/approvals/${approval.id}/deny`,
      {
        reason: 'not today',
      },
    );
    expect(res.body).toMatchObject({ status: 'denied', decision_reason: 'not today' });
    expect(queryEvents(t.town.db, { kind: 'approval.decided' })[0]).toMatchObject({
      actor: 'overseer',
      payload: { decision: 'denied', reason: 'not today' },
    });
  });

  it('freezes and thaws the town as the overseer', async () => {
    const t = await makeDashboardTown();
    expect((await t.post('/api/estop', { reason: 'checking' })).body).toMatchObject({ scope: 'town' });
    expect((await t.json<{ frozen: string[] }>('/api/town')).frozen).toEqual(['town']);
    await t.post('/api/thaw');
    expect((await t.json<{ frozen: string[] }>('/api/town')).frozen).toEqual([]);
    const events = queryEvents(t.town.db).filter((e) => e.kind === 'town.estop' || e.kind === 'town.thaw');
    expect(events.map((e) => [e.kind, e.actor, e.payload.reason])).toEqual([
      ['town.estop', 'overseer', 'checking'],
      ['town.thaw', 'overseer', 'thawed by the Overseer (dashboard)'],
    ]);
  });

  it('creates and launches a convoy, waking the daemon dispatcher', async () => {
    const woken: string[] = [];
    const t = await makeDashboardTown({ wake: (loop) => woken.push(loop) });
    const bead = await t.town.beads.create({ prefix: 'hq', title: 'Do it' }, { actor: 'overseer' });
    const bad = await t.post<{ error: string }>('/api/convoys', { name: 'c', beads: [bead.id] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('belongs to no rig');
    expect((await t.post('/api/convoys/cv-nope/launch')).status).toBe(404);
    t.town.db
      .prepare(`INSERT INTO convoys (id, name, state, created_at) VALUES ('cv-1', 'one', 'open', ?)`)
      .run(new Date().toISOString());
    const launched = await t.post<{ state: string }>('/api/convoys/cv-1/launch');
    expect(launched.body.state).toBe('launched');
    expect(woken).toEqual(['convoys']);
    expect(queryEvents(t.town.db, { kind: 'convoy.launched' })[0]).toMatchObject({ actor: 'overseer' });
  });

  it('acknowledges and closes escalations as the overseer', async () => {
    const t = await makeDashboardTown();
    const e = raiseEscalation(t.town, { key: 'k', kind: 'rework_limit', summary: 'stuck' }, 'web/witness');
    expect((await t.post<{ state: string }>(`/api/escalations/${e.id}/ack`)).body.state).toBe('acked');
    expect((await t.post<{ state: string }>(`/api/escalations/${e.id}/close`)).body.state).toBe('closed');
    const kinds = queryEvents(t.town.db, { actor: 'overseer' }).map((ev) => ev.kind);
    expect(kinds.filter((k) => k.startsWith('escalation.'))).toEqual([
      'escalation.acked',
      'escalation.closed',
    ]);
  });
});
