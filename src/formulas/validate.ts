// The rules a formula must follow that its schema cannot say: step ids unique, loops well formed,
// patterns that compile, defaults within their enum, presets and synthesis naming real legs —
// and, once `extends` is applied, every `needs` naming a step and no cycle among them.
import type { Formula, FormulaStep } from './formula.js';
import type { Problem } from './parse.js';
import type { FormulaFile } from './schema.js';
import type { KeyPath } from './toml-lines.js';

/** Problems within one file (paths index its own arrays, so each gets its line). */
export function localProblems(formula: Formula, file: FormulaFile): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const walk = (steps: FormulaStep[], at: KeyPath): void =>
    steps.forEach((step, n) => {
      const path = [...at, n];
      if (seen.has(step.id))
        problems.push({ path: [...path, 'id'], message: `step id "${step.id}" is used twice` });
      seen.add(step.id);
      if (step.loop) problems.push(...loopProblems(step, path));
      walk(step.children, [...path, 'children']);
      if (step.loop) walk(step.loop.body, [...path, 'loop', 'body']);
    });
  walk(formula.steps, ['steps']);
  for (const [name, def] of Object.entries(formula.vars)) {
    const path = ['vars', name];
    let pattern: RegExp | undefined;
    if (def.pattern !== undefined) {
      try {
        pattern = new RegExp(def.pattern);
      } catch (error) {
        problems.push({
          path: [...path, 'pattern'],
          message: `not a regular expression: ${(error as Error).message}`,
        });
      }
    }
    if (def.default === undefined) continue;
    if (def.enum && !def.enum.includes(def.default))
      problems.push({
        path: [...path, 'default'],
        message: `"${def.default}" is not one of ${def.enum.join(', ')}`,
      });
    if (pattern && !pattern.test(def.default))
      problems.push({
        path: [...path, 'default'],
        message: `"${def.default}" does not match ${def.pattern}`,
      });
  }
  formula.legs.forEach((leg, n) => {
    if (formula.legs.findIndex((other) => other.id === leg.id) !== n)
      problems.push({ path: ['legs', n, 'id'], message: `leg id "${leg.id}" is used twice` });
  });
  if (file.extends === undefined) problems.push(...referenceProblems(formula, true));
  for (const [name, input] of Object.entries(formula.inputs))
    input.required_unless.forEach((other, n) => {
      if (!(other in formula.inputs))
        problems.push({ path: ['inputs', name, 'required_unless', n], message: `no input named "${other}"` });
    });
  return problems;
}

/** Every `needs` names a step of the formula, and the steps have no cycle. */
export function referenceProblems(formula: Formula, indexed: boolean): Problem[] {
  const problems: Problem[] = [];
  const ids = new Set<string>();
  const collect = (steps: FormulaStep[]): void =>
    steps.forEach((step) => {
      ids.add(step.id);
      collect(step.children);
      if (step.loop) collect(step.loop.body);
    });
  collect(formula.steps);
  const graph = new Map<string, string[]>();
  const walk = (steps: FormulaStep[], at: KeyPath): void =>
    steps.forEach((step, n) => {
      const path: KeyPath = indexed ? [...at, n] : ['steps', step.id];
      graph.set(step.id, step.needs);
      step.needs.forEach((need) => {
        if (!ids.has(need)) problems.push({ path: [...path, 'needs'], message: `no step named "${need}"` });
      });
      walk(step.children, [...path, 'children']);
      if (step.loop) walk(step.loop.body, [...path, 'loop', 'body']);
    });
  walk(formula.steps, ['steps']);
  const legs = new Set(formula.legs.map((leg) => leg.id));
  for (const [name, preset] of Object.entries(formula.presets))
    preset.legs.forEach((leg, n) => {
      if (!legs.has(leg))
        problems.push({ path: ['presets', name, 'legs', n], message: `no leg named "${leg}"` });
    });
  (formula.synthesis?.depends_on ?? []).forEach((leg, n) => {
    if (!legs.has(leg))
      problems.push({ path: ['synthesis', 'depends_on', n], message: `no leg named "${leg}"` });
  });
  if (formula.type === 'convoy' && legs.size === 0)
    problems.push({ path: ['type'], message: 'a convoy formula needs at least one [[legs]]' });
  const cycle = findCycle(graph);
  if (cycle)
    problems.push({
      path: ['steps'],
      message: `steps depend on each other in a cycle: ${cycle.join(' → ')}`,
    });
  return problems;
}

function loopProblems(step: FormulaStep, path: KeyPath): Problem[] {
  const loop = step.loop!;
  const at = [...path, 'loop'];
  const kinds = [loop.count, loop.until, loop.range].filter((k) => k !== undefined).length;
  if (kinds !== 1) return [{ path: at, message: 'a loop needs exactly one of count, until, range' }];
  if (loop.until !== undefined && loop.max === undefined)
    return [{ path: at, message: 'a loop with until needs max (so it cannot run forever)' }];
  if (loop.range !== undefined && !/^\s*\S+\s*\.\.\s*\S+\s*$/.test(loop.range))
    return [{ path: [...at, 'range'], message: `"${loop.range}" is not start..end` }];
  return [];
}

function findCycle(graph: ReadonlyMap<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'open');
    stack.push(id);
    for (const next of graph.get(id) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of graph.keys()) {
    const found = visit(id);
    if (found) return found;
  }
  return undefined;
}
