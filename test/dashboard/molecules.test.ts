// The dashboard's molecules API: a poured formula as its steps with their state and progress,
// through app.request() (no socket).
import { describe, expect, it } from 'vitest';
import { cook, formulaPath, loadFormula, pour } from '../../src/formulas/index.js';
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
});
