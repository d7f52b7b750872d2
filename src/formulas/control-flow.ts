// Cooking a workflow's control flow before its steps become proto steps: `condition` keeps or drops
// a step, `[steps.loop]` repeats its body (count, or a `start..end` range exposing `var`; `until`
// is poured once and says so), and afterwards every `needs` is pointed at what replaced its target.
import { invalidInput } from '../errors.js';
import type { FormulaStep } from './formula.js';
import { substitute } from './vars.js';

export interface Flow {
  steps: FormulaStep[];
  /** What a step id now means: dropped (`[]`), or the steps that stand for it (a loop's last ones). */
  replaced: Map<string, string[]>;
  warnings: string[];
}

/** `{{v}}`, `!{{v}}`, `{{v}} == x`, `{{v}} != x`: true / false, or undefined when `v` has no value. */
export function evaluateCondition(
  condition: string,
  values: Readonly<Record<string, string>>,
): boolean | undefined {
  const match = /^\s*(!)?\s*\{\{\s*([A-Za-z_][\w-]*)\s*\}\}\s*(?:(==|!=)\s*(.*?))?\s*$/.exec(condition);
  if (!match)
    throw invalidInput(
      `condition "${condition}": expected {{var}}, !{{var}}, {{var}} == value or {{var}} != value`,
    );
  const value = values[match[2]!];
  if (value === undefined) return undefined;
  if (match[3] !== undefined) {
    const wanted = match[4]!.replace(/^(['"])(.*)\1$/, '$2');
    return match[3] === '==' ? value === wanted : value !== wanted;
  }
  const truthy = value !== '' && !['false', '0', 'no', 'off'].includes(value.toLowerCase());
  return match[1] ? !truthy : truthy;
}

export function applyControlFlow(
  steps: readonly FormulaStep[],
  values: Readonly<Record<string, string>>,
): Flow {
  const flow: Flow = { steps: [], replaced: new Map(), warnings: [] };
  flow.steps = transform(steps, values, flow);
  return flow;
}

function transform(
  steps: readonly FormulaStep[],
  values: Readonly<Record<string, string>>,
  flow: Flow,
): FormulaStep[] {
  const out: FormulaStep[] = [];
  for (let step of steps) {
    if (step.condition !== undefined) {
      const keep = evaluateCondition(step.condition, values);
      if (keep === false) {
        for (const id of idsWithin([step])) flow.replaced.set(id, []);
        continue;
      }
      if (keep === true) {
        const { condition: _decided, ...rest } = step;
        step = rest;
      }
    }
    if (!step.loop) {
      out.push({ ...step, children: transform(step.children, values, flow) });
      continue;
    }
    const iterations = expandLoop(step, values, flow);
    out.push(...transform(iterations, values, flow));
  }
  return out;
}

function expandLoop(step: FormulaStep, values: Readonly<Record<string, string>>, flow: Flow): FormulaStep[] {
  const loop = step.loop!;
  let rounds: (string | undefined)[];
  if (loop.count !== undefined) rounds = Array.from({ length: loop.count }, (_, n) => String(n + 1));
  else if (loop.range !== undefined) rounds = rangeValues(step.id, loop.range, values);
  else {
    rounds = [undefined];
    flow.warnings.push(
      `loop ${step.id}: until "${loop.until ?? ''}" is not evaluated here: its body is poured once, not repeated up to max ${loop.max ?? 1}; the first step is labelled loop:until and carries the condition (as beads does) for whoever repeats it`,
    );
  }
  const bodyIds = new Set(idsWithin(loop.body));
  const out: FormulaStep[] = [];
  let previousLast: string | undefined;
  rounds.forEach((value, n) => {
    const iteration = `${step.id}.iter${n + 1}`;
    const rename = (id: string): string => (bodyIds.has(id) ? `${iteration}.${id}` : id);
    const loopVars = loop.var !== undefined && value !== undefined ? { [loop.var]: value } : {};
    const copy = (s: FormulaStep): FormulaStep => ({
      ...s,
      id: rename(s.id),
      title: fillLoopVar(s.title, loopVars),
      ...(s.description === undefined ? {} : { description: fillLoopVar(s.description, loopVars) }),
      ...(s.run === undefined ? {} : { run: s.run.map((r) => fillLoopVar(r, loopVars)) }),
      needs: s.needs.map(rename),
      children: s.children.map(copy),
    });
    const body = loop.body.map(copy);
    // The loop's own needs hold back the first iteration; each later one follows the one before.
    for (const first of body.filter((b) => b.needs.every((need) => !need.startsWith(`${iteration}.`)))) {
      first.needs = [...new Set([...first.needs, ...(previousLast ? [previousLast] : step.needs)])];
    }
    // beads labels the first step `loop:{"until":…,"max":…}`; a label holds no spaces here, so the
    // condition goes in the step's metadata and the label only says what kind of loop it opens.
    if (value === undefined) {
      const first = body[0]!;
      first.labels = [...first.labels, 'loop:until'];
      first.metadata = { ...first.metadata, loop: { step: step.id, until: loop.until, max: loop.max } };
    }
    previousLast = body.at(-1)!.id;
    out.push(...body);
  });
  flow.replaced.set(step.id, previousLast ? [previousLast] : []);
  return out;
}

function rangeValues(id: string, range: string, values: Readonly<Record<string, string>>): string[] {
  const [from, to] = range
    .split('..')
    .map((end) =>
      substitute(end.trim(), values).replace(/^\{(\w+)\}$/, (w, name: string) => values[name] ?? w),
    );
  const start = Number(from);
  const end = Number(to);
  if (!Number.isInteger(start) || !Number.isInteger(end))
    throw invalidInput(
      `loop ${id}: range "${range}" needs integer ends (got ${from}..${to}; pass the variables with --var)`,
    );
  if (end < start) throw invalidInput(`loop ${id}: range end ${end} is before its start ${start}`);
  if (end - start >= 1000) throw invalidInput(`loop ${id}: range "${range}" makes more than 1000 iterations`);
  return Array.from({ length: end - start + 1 }, (_, n) => String(start + n));
}

function fillLoopVar(text: string, vars: Readonly<Record<string, string>>): string {
  let out = substitute(text, vars);
  for (const [name, value] of Object.entries(vars)) out = out.replaceAll(`{${name}}`, value);
  return out;
}

export function idsWithin(steps: readonly FormulaStep[]): string[] {
  return steps.flatMap((s) => [s.id, ...idsWithin(s.children), ...(s.loop ? idsWithin(s.loop.body) : [])]);
}
