// The formula format: every key of a workflow and a convoy fixture read, `extends` merged, presets
// and required_unless honoured, variables checked (pattern, enum, type, required), conditions and
// loops cooked, unknown keys kept and reported, and bad files named with their line and key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FormulaDir } from '../../src/formulas/index.js';
import { cook, formulaPath, loadFormula, parseFormula, protoSteps } from '../../src/formulas/index.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const path: FormulaDir[] = [{ dir: fixtures, origin: 'town' }, ...formulaPath({})];

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

const bad = (text: string, file = 'bad.formula.toml'): string => errorOf(() => parseFormula({ text, file }));

describe('formula files', () => {
  it('reads every key of a workflow and keeps the ones it does not act on', () => {
    const formula = loadFormula(path, 'ship-feature');
    expect(formula).toMatchObject({ name: 'ship-feature', version: 1, type: 'workflow' });
    expect(formula.vars.owner).toEqual({ default: 'mayor', required: false });
    expect(formula.vars.component).toEqual({ description: 'What we build', required: true });
    expect(formula.vars.mode).toMatchObject({
      enum: ['fast', 'careful'],
      default: 'careful',
      type: 'string',
    });
    const design = formula.steps[0]!;
    expect(design).toMatchObject({
      id: 'design',
      notes: 'Owner: {{owner}}',
      acceptance: 'A design note exists',
      priority: 1,
      labels: ['design', '{{mode}}'],
      assignee: '{{owner}}',
      agent: 'script',
      metadata: { estimate: 'small', ticket: '{{ticket}}' },
      extra: { waits_for: 'all-children' },
    });
    expect(formula.steps[1]!.children[1]!.needs).toEqual(['code']);
    expect(formula.steps[2]!.loop).toMatchObject({ count: 2 });
    expect(formula.steps.find((s) => s.id === 'submit')!.gate).toEqual({ type: 'timer', timeout: '1ms' });
    expect(formula.unknown).toEqual(['steps.design.waits_for', 'phase', 'compose.bond_points']);
    expect(formula.extra).toEqual({
      phase: 'liquid',
      compose: { bond_points: [{ id: 'after-design', after_step: 'design' }] },
    });
  });

  it('cooks: vars filled, conditions applied, loops expanded, containers and gates wired', () => {
    const proto = cook(loadFormula(path, 'ship-feature'), { vars: { component: 'parser' } });
    const ids = protoSteps(proto.steps).map((s) => s.id);
    expect(ids).toEqual([
      'design',
      'implement',
      'code',
      'docs',
      'polish.iter1.lint',
      'polish.iter2.lint',
      'benchmark',
      'review',
      'submit',
      'announce.gate',
      'announce',
    ]);
    const step = (id: string) => protoSteps(proto.steps).find((s) => s.id === id)!;
    expect(step('design')).toMatchObject({
      title: 'Design parser',
      labels: ['design', 'careful'],
      assignee: 'mayor',
    });
    expect(step('design').run).toEqual(['mkdir -p docs', "echo 'design parser' > docs/design.md"]);
    expect(step('implement').kind).toBe('container');
    // Needing a container means needing what is inside it; a loop, its last iteration.
    expect(step('polish.iter1.lint').needs).toEqual(['code', 'docs']);
    expect(step('polish.iter2.lint').needs).toEqual(['polish.iter1.lint']);
    expect(step('benchmark').needs).toEqual(['polish.iter2.lint']);
    // quick-check's condition is false (mode is set): it is gone, and so is the need on it.
    expect(step('review')).toMatchObject({ kind: 'human', needs: ['benchmark'] });
    expect(step('submit')).toMatchObject({ delay: '1ms', needs: ['review'] });
    expect(step('announce.gate')).toMatchObject({ kind: 'gate', needs: ['submit'] });
    expect(step('announce').needs).toEqual(['announce.gate']);
    expect(proto.warnings.join('\n')).toContain('gate type "gh:run" is not supported yet');
    expect(proto.warnings.join('\n')).toContain('its own run is not used');
    expect(proto.unfilled).toEqual([]);

    const fast = cook(loadFormula(path, 'ship-feature'), { vars: { component: 'x', mode: 'fast' } });
    expect(protoSteps(fast.steps).map((s) => s.id)).not.toContain('benchmark');
  });

  it('leaves {{var}} unfilled without vars, and refuses to pour that way', () => {
    const formula = loadFormula(path, 'ship-feature');
    const proto = cook(formula);
    expect(proto.unfilled).toEqual(['component']);
    expect(proto.steps[0]!.title).toBe('Design {{component}}');
    expect(errorOf(() => cook(formula, { strict: true }))).toContain('give a value for --var component=…');
  });

  it('checks variables: pattern, enum, type, unknown names', () => {
    const formula = loadFormula(path, 'ship-feature');
    const vars = (extra: Record<string, string>) => ({ component: 'c', ...extra });
    expect(errorOf(() => cook(formula, { vars: vars({ ticket: 'nope' }) }))).toContain(
      '--var ticket=nope: does not match ^[A-Z]+-[0-9]+$',
    );
    expect(cook(formula, { vars: vars({ ticket: 'ABC-42' }) }).steps[0]!.description).toContain('ABC-42');
    expect(errorOf(() => cook(formula, { vars: vars({ mode: 'wild' }) }))).toContain(
      'must be one of fast, careful',
    );
    expect(errorOf(() => cook(formula, { vars: vars({ rounds: 'two' }) }))).toContain('must be an integer');
    expect(errorOf(() => cook(formula, { vars: vars({ colour: 'red' }) }))).toContain(
      'has no variable colour',
    );
  });

  it('merges a parent through extends: child vars and steps win, new steps follow', () => {
    const formula = loadFormula(path, 'child-flow');
    expect(formula.parents).toEqual([join(fixtures, 'base-flow.formula.toml')]);
    const proto = cook(formula);
    expect(proto.steps.map((s) => [s.id, s.title, s.needs])).toEqual([
      ['prepare', 'Prepare web carefully', []],
      ['finish', 'Finish on main', ['prepare']],
      ['verify', 'Verify', ['finish']],
    ]);
  });

  it('cooks a convoy: legs with the base prompt rendered for each, presets, required_unless', () => {
    const formula = loadFormula(path, 'triple-review');
    expect(formula.type).toBe('convoy');
    expect(errorOf(() => cook(formula, { strict: true }))).toContain(
      'input files is required unless one of branch is given',
    );
    const proto = cook(formula, { vars: { branch: 'feature/x' }, strict: true });
    expect(proto.legs).toEqual(['names', 'size', 'todos']);
    expect(proto.steps[1]!.description).toBe(
      '# Review of triple-review\nBranch: feature/x\nFocus: file sizes (leg size, depth 2)\nWrite to .reviews/triple-review/size.md\n',
    );
    expect(proto.steps[3]).toMatchObject({
      id: 'synthesis',
      kind: 'synthesis',
      needs: ['names', 'size', 'todos'],
    });
    const quick = cook(formula, { vars: { files: 'a.ts' }, preset: 'quick' });
    expect(quick.steps.map((s) => s.id)).toEqual(['names', 'size', 'synthesis']);
    expect(quick.steps[2]!.needs).toEqual(['names', 'size']);
    expect(quick.steps[0]!.run).toEqual([
      'mkdir -p .reviews/triple-review',
      "echo 'names: ok for a.ts' > .reviews/triple-review/names.md",
    ]);
    expect(cook(formula, { vars: { files: 'a' }, legs: ['todos'] }).steps.map((s) => s.id)).toEqual([
      'todos',
      'synthesis',
    ]);
    expect(errorOf(() => cook(formula, { vars: { files: 'a' }, preset: 'deep' }))).toContain(
      'no preset "deep" (presets: quick)',
    );
    expect(errorOf(() => cook(formula, { vars: { files: 'a' }, legs: ['x'] }))).toContain('no leg named x');
    expect(errorOf(() => cook(formula, { vars: { files: 'a', depth: 'deep' } }))).toContain(
      'must be a number',
    );
  });

  it('expands a range loop with its variable and reads a .formula.json', () => {
    const formula = parseFormula({
      file: 'r.formula.json',
      text: JSON.stringify({
        formula: 'r',
        vars: { n: { default: '3' } },
        steps: [
          {
            id: 'l',
            loop: { range: '2..{{n}}', var: 'i', body: [{ id: 'b', title: 'Round {i} of {{n}}' }] },
          },
        ],
      }),
    });
    const proto = cook(formula);
    expect(proto.steps.map((s) => [s.id, s.title, s.needs])).toEqual([
      ['l.iter1.b', 'Round 2 of 3', []],
      ['l.iter2.b', 'Round 3 of 3', ['l.iter1.b']],
    ]);
  });
});

describe('bad formula files', () => {
  it('names the file, line and column of a TOML syntax error', () => {
    expect(bad('formula = "x"\n\n[[steps]]\nid = = "a"\n')).toMatch(
      /^invalid formula bad\.formula\.toml:4:6: /,
    );
  });

  it('names the line and key of each schema problem, all at once', () => {
    const message = bad(
      [
        'formula = "x"',
        '[vars.v]',
        'required = true',
        'default = "a"',
        '[[steps]]',
        'id = "a"',
        '[[steps]]',
        'id = "b"',
        'priority = 9',
        'needs = "a"',
      ].join('\n'),
    );
    expect(message).toContain(
      'bad.formula.toml:3: vars.v.required: a required variable cannot have a default',
    );
    expect(message).toContain('bad.formula.toml:9: steps[1].priority:');
    expect(message).toContain('bad.formula.toml:10: steps[1].needs:');
  });

  it('names a step that needs nothing known, a cycle, a bad loop and a preset of no leg', () => {
    const message = bad(
      [
        'formula = "x"',
        '[[steps]]',
        'id = "a"',
        'needs = ["b"]',
        '[[steps]]',
        'id = "b"',
        'needs = ["a", "ghost"]',
        '[[steps]]',
        'id = "c"',
        '[steps.loop]',
        'until = "{{done}}"',
        '[[steps.loop.body]]',
        'id = "c1"',
      ].join('\n'),
    );
    expect(message).toContain('bad.formula.toml:7: steps[1].needs: no step named "ghost"');
    expect(message).toContain('steps depend on each other in a cycle: a → b → a');
    expect(message).toContain('bad.formula.toml:10: steps[2].loop: a loop with until needs max');
    expect(bad('formula = "x"\n[[legs]]\nid = "a"\n[presets.p]\nlegs = ["a", "z"]\n')).toContain(
      'bad.formula.toml:5: presets.p.legs[1]: no leg named "z"',
    );
    expect(bad('formula = "x"\n[vars.t]\npattern = "^[0-9]+$"\ndefault = "v1"\n')).toContain(
      'bad.formula.toml:4: vars.t.default: "v1" does not match ^[0-9]+$',
    );
    expect(bad('formula = "x"\ntype = "convoy"\n')).toContain('a convoy formula needs at least one [[legs]]');
  });

  it('says when extends names no formula or makes a cycle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gt-formulas-'));
    writeFileSync(join(dir, 'a.formula.toml'), 'formula = "a"\nextends = ["missing"]\n');
    writeFileSync(join(dir, 'b.formula.toml'), 'formula = "b"\nextends = ["c"]\n');
    writeFileSync(join(dir, 'c.formula.toml'), 'formula = "c"\nextends = ["b"]\n');
    const local: FormulaDir[] = [{ dir, origin: 'town' }];
    expect(errorOf(() => loadFormula(local, 'a'))).toContain(
      'extends "missing", but no other formula has that name',
    );
    expect(errorOf(() => loadFormula(local, 'b'))).toContain('extends makes a cycle');
    expect(errorOf(() => loadFormula(local, 'nope'))).toBe('formula not found: nope');
  });
});

describe('convoy fixture keys', () => {
  it('reads a leg agent and description and an optional input', () => {
    const formula = loadFormula(path, 'triple-review');
    expect(formula.legs[2]).toMatchObject({ id: 'todos', agent: 'script', description: 'Find TODO markers' });
    expect(formula.inputs.depth).toEqual({
      type: 'number',
      required: false,
      required_unless: [],
      default: '2',
    });
    const proto = cook(formula, { vars: { files: 'a' } });
    expect(proto.steps[2]!.agent).toBe('script');
  });

  it('checks presets of a formula that extends another against the merged legs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gt-formulas-'));
    writeFileSync(join(dir, 'p.formula.toml'), 'formula = "p"\n[[legs]]\nid = "a"\n');
    writeFileSync(
      join(dir, 'c.formula.toml'),
      'formula = "c"\nextends = "p"\n[presets.x]\nlegs = ["a", "b"]\n',
    );
    const local: FormulaDir[] = [{ dir, origin: 'town' }];
    expect(errorOf(() => loadFormula(local, 'c'))).toContain('presets.x.legs[1]: no leg named "b"');
    writeFileSync(join(dir, 'c.formula.toml'), 'formula = "c"\nextends = "p"\n[presets.x]\nlegs = ["a"]\n');
    expect(loadFormula(local, 'c')).toMatchObject({ type: 'convoy', presets: { x: { legs: ['a'] } } });
  });
});
