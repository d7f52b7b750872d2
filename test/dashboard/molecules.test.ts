// The dashboard's molecules API: a poured formula as its steps with their state and progress,
// through app.request() (no socket).
import { describe, expect, it } from 'vitest';
import { cook, formulaPath, loadFormula, pour } from '../../src/formulas/index.js';
import { queryEvents } from '../../src/ledger/index.js';
import { makeDashboardTown } from './fixture.js';

interface View {
  id: string;
  formula: string;
  done: number;
  total: number;
  finished: boolean;
  vars: Record<string, string>;
  steps: { step: string; state: string }[];
}

describe('dashboard molecules', () => {
  it('lists molecules with their steps and progress, and shows one by any of its beads', async () => {
    const dash = await makeDashboardTown();
    const proto = cook(loadFormula(formulaPath({}), 'release'), { vars: { version: '1.0.0' }, strict: true });
    const poured = await pour(dash.town.beads, proto, { prefix: 'hq', actor: 'overseer' });
    await dash.town.beads.close(poured.steps[0]!.bead, 'done', { actor: 'overseer' });
    const list = await dash.json<View[]>('/api/molecules');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: poured.root.id,
      formula: 'release',
      done: 1,
      total: 4,
      finished: false,
    });
    expect(list[0]!.vars).toEqual({ version: '1.0.0' });
    expect(list[0]!.steps.map((s) => [s.step, s.state])).toEqual([
      ['changelog', 'done'],
      ['bump', 'ready'],
      ['verify', 'waiting'],
      ['publish', 'waiting'],
    ]);
    const one = await dash.json<View>(`/api/molecules/${poured.steps[2]!.bead}`);
    expect(one.id).toBe(poured.root.id);
    expect((await dash.api('/api/molecules/hq-none')).status).toBe(404);
  });

  it('approves a human step as the Overseer only once the steps it needs are closed', async () => {
    const dash = await makeDashboardTown();
    const proto = cook(loadFormula(formulaPath({}), 'release'), { vars: { version: '2.0.0' }, strict: true });
    const poured = await pour(dash.town.beads, proto, { prefix: 'hq', actor: 'overseer' });
    const bead = (step: string): string => poured.steps.find((s) => s.step === step)!.bead;
    const approve = (id: string) => dash.post<{ error?: string }>(`/api/molecules/steps/${id}/approve`);

    // Too early: publish still needs verify; the bead stays open and nothing is recorded.
    const early = await approve(bead('publish'));
    expect(early.status).toBe(409);
    expect(early.body.error).toContain('still waits for the steps it needs');
    // Work steps are the polecats', not a button's.
    expect((await approve(bead('changelog'))).status).toBe(409);
    expect((await dash.town.beads.require(bead('publish'))).status).toBe('open');
    expect((await dash.town.beads.require(bead('changelog'))).status).toBe('open');
    expect(queryEvents(dash.town.db, { kind: 'bead.closed' })).toHaveLength(0);

    for (const step of ['changelog', 'bump', 'verify'])
      await dash.town.beads.close(bead(step), 'done', { actor: 'overseer' });
    const view = await dash.json<View>(`/api/molecules/${poured.root.id}`);
    expect(view.steps.find((s) => s.step === 'publish')!.state).toBe('overseer');
    const done = await approve(bead('publish'));
    expect(done.status).toBe(200);
    expect((await dash.town.beads.require(bead('publish'))).status).toBe('closed');
    expect(queryEvents(dash.town.db, { kind: 'bead.closed' }).at(-1)).toMatchObject({
      actor: 'overseer',
      bead_id: bead('publish'),
      payload: { reason: 'approved by the Overseer (publish)' },
    });
    expect(await dash.json<View>(`/api/molecules/${poured.root.id}`)).toMatchObject({
      done: 4,
      total: 4,
      finished: true,
    });
    expect((await approve(bead('publish'))).status).toBe(409);
  });
});
