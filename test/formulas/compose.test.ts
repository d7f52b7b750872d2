// `[compose]` as the original applies it at load time: an expansion's `[[template]]` replacing a
// target (`expand`) or every step matching a glob (`map`), an aspect's `[[advice]]` around the
// steps it targets, the replaced step's needs and dependents rewired; rules we do not act on are
// reported; an expansion or aspect cannot be poured on its own.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FormulaDir } from '../../src/formulas/index.js';
import { cook, formulaPath, loadFormula, protoSteps } from '../../src/formulas/index.js';

const path: FormulaDir[] = [
  { dir: join(import.meta.dirname, 'fixtures'), origin: 'town' },
  ...formulaPath({}),
];

describe('compose', () => {
  it('expands, maps and wraps steps, rewiring needs, and keeps the rules it does not act on', () => {
    const formula = loadFormula(path, 'composed-flow');
    const graph = formula.steps.map((s) => [s.id, s.needs]);
    expect(graph).toEqual([
      ['prepare', []],
      ['finish.draft', ['prepare']],
      ['finish.check', ['finish.draft']],
      ['build-api.draft', ['finish.check']],
      ['build-api.check', ['build-api.draft']],
      ['build-ui.draft', ['finish.check']],
      ['build-ui.check', ['build-ui.draft']],
      ['ship-note', ['build-api.check', 'build-ui.check']],
      ['ship', ['ship-note']],
      ['ship-record', ['ship']],
    ]);
    const byId = new Map(formula.steps.map((s) => [s.id, s]));
    expect(byId.get('finish.draft')).toMatchObject({
      title: 'Draft: Finish on {{target}}',
      description: 'First pass at: the last touches',
    });
    // The rule's vars fill the template; the formula's own stay for cooking.
    expect(byId.get('finish.check')!.title).toBe('Check the finish draft (deep)');
    expect(byId.get('build-ui.check')!.title).toBe('Check the build-ui draft (quick)');
    expect(byId.get('ship-record')!.title).toBe('Record after Ship it');
    expect(formula.unknown).toContain('compose.branch');
    expect(formula.unknown).not.toContain('compose');
    const proto = cook(formula, { vars: { target: 'main' }, strict: true });
    expect(protoSteps(proto.steps).find((s) => s.id === 'finish.draft')!.title).toBe('Draft: Finish on main');
  });

  it("does not list an expansion's template or an aspect's advice as unacted keys, and will not pour them alone", () => {
    const polish = loadFormula(path, 'polish');
    expect(polish.unknown).toEqual([]);
    expect(loadFormula(path, 'audit-trail').unknown).toEqual([]);
    expect(() => cook(polish, { vars: { depth: 'x' }, strict: true })).toThrow(
      'polish is an expansion formula: it has no steps of its own; apply it from another formula (compose.expand or compose.map)',
    );
  });
});
