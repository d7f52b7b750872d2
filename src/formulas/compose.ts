// `[compose]`, as Gas Town and beads apply it when a formula is loaded: `expand` replaces a target
// step by an expansion formula's `[[template]]` steps (`{target}`, `{target.title}`,
// `{target.description}` filled in), `map` does so for every step whose id matches a glob, and
// `aspects` wraps matching steps with an aspect formula's `[[advice]]` (`before` / `after` /
// `around`). The steps that replace a target take over its `needs`, and whatever needed it needs
// their last ones. Other compose rules (`branch`, `gate`, `bond_points`, `hooks`) stay listed as
// not acted on.
import { z } from 'zod';
import { ErrorCode, GasTownError, invalidInput } from '../errors.js';
import type { Formula, FormulaStep } from './formula.js';
import { normalizeFormula } from './normalize.js';
import { formulaFileSchema } from './schema.js';
import { substitute } from './vars.js';

const rule = z.looseObject({ with: z.string(), vars: z.record(z.string(), z.string()).optional() });
const composeSchema = z.looseObject({
  expand: z.array(rule.extend({ target: z.string() })).optional(),
  map: z.array(rule.extend({ select: z.string() })).optional(),
  aspects: z.array(z.string()).optional(),
});
const adviceSchema = z.looseObject({
  target: z.string(),
  before: z.array(z.unknown()).optional(),
  after: z.array(z.unknown()).optional(),
  around: z
    .looseObject({ before: z.array(z.unknown()).optional(), after: z.array(z.unknown()).optional() })
    .optional(),
});
const handled = ['expand', 'map', 'aspects'];

/** Applies the formula's compose rules; `load` finds another formula by name along the same path. */
export function applyCompose(formula: Formula, loadByName: (name: string) => Formula): Formula {
  const load = (name: string): Formula => {
    try {
      return loadByName(name);
    } catch (error) {
      if (error instanceof GasTownError && error.code === ErrorCode.notFound) throw error;
      const why =
        error instanceof Error ? error.message.replace(/^.*?: extends "[^"]*", but /, '') : String(error);
      throw invalidInput(`${formula.source}: compose names "${name}": ${why}`);
    }
  };
  // What an expansion or aspect formula defines is used by others: not "unacted on" keys of its own.
  const own =
    formula.type === 'expansion' ? ['template'] : formula.type === 'aspect' ? ['advice', 'pointcuts'] : [];
  let unknown = formula.unknown.filter((key) => !own.some((k) => key === k || key.startsWith(`${k}.`)));
  if (formula.extra.compose === undefined) return { ...formula, unknown };
  const parsed = composeSchema.safeParse(formula.extra.compose);
  if (!parsed.success)
    throw invalidInput(`${formula.source}: compose: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const compose = parsed.data;
  let steps = formula.steps;
  for (const r of compose.expand ?? []) {
    if (!idsOf(steps).includes(r.target))
      throw invalidInput(`${formula.source}: compose.expand: no step named "${r.target}"`);
    steps = expandTarget(steps, r.target, templateOf(load(r.with), r.with), r.vars ?? {});
  }
  for (const r of compose.map ?? []) {
    const template = templateOf(load(r.with), r.with);
    for (const id of idsOf(steps).filter((id) => glob(r.select).test(id)))
      steps = expandTarget(steps, id, template, r.vars ?? {});
  }
  for (const name of compose.aspects ?? []) steps = applyAspect(steps, load(name), name);
  const rest = Object.fromEntries(Object.entries(compose).filter(([k]) => !handled.includes(k)));
  unknown = unknown.filter((k) => k !== 'compose').concat(Object.keys(rest).map((k) => `compose.${k}`));
  const { compose: _applied, ...extra } = formula.extra;
  return {
    ...formula,
    steps,
    unknown,
    extra: Object.keys(rest).length > 0 ? { ...extra, compose: rest } : extra,
  };
}

function templateOf(expansion: Formula, name: string): unknown[] {
  const template = expansion.extra.template;
  if (expansion.type !== 'expansion' || !Array.isArray(template) || template.length === 0)
    throw invalidInput(`compose: "${name}" is not an expansion formula with [[template]] steps`);
  return template;
}

function expandTarget(
  steps: FormulaStep[],
  target: string,
  template: unknown[],
  vars: Record<string, string>,
): FormulaStep[] {
  const step = findStep(steps, target)!;
  const fill = (text: string): string =>
    substitute(
      text
        .replaceAll('{target}', step.id)
        .replaceAll('{target.id}', step.id)
        .replaceAll('{target.title}', step.title)
        .replaceAll('{target.description}', step.description ?? ''),
      vars,
    );
  return splice(steps, step, stepsFrom(template, fill, `the expansion of ${target}`));
}

function applyAspect(steps: FormulaStep[], aspect: Formula, name: string): FormulaStep[] {
  if (aspect.type !== 'aspect' || !Array.isArray(aspect.extra.advice))
    throw invalidInput(`compose.aspects: "${name}" is not an aspect formula with [[advice]]`);
  for (const raw of aspect.extra.advice) {
    const advice = adviceSchema.parse(raw);
    for (const id of idsOf(steps).filter((id) => glob(advice.target).test(id))) {
      const step = findStep(steps, id)!;
      const fill = (text: string): string =>
        text.replaceAll('{step.id}', step.id).replaceAll('{step.title}', step.title);
      const before = stepsFrom(
        [...(advice.before ?? []), ...(advice.around?.before ?? [])],
        fill,
        `${name} before ${id}`,
      );
      const after = stepsFrom(
        [...(advice.around?.after ?? []), ...(advice.after ?? [])],
        fill,
        `${name} after ${id}`,
      );
      steps = splice(steps, step, chain([...before, { ...step, needs: [] }, ...after]));
    }
  }
  return steps;
}

/** Each step after the one before it: advice, its target, more advice. */
function chain(steps: FormulaStep[]): FormulaStep[] {
  return steps.map((s, n) => (n === 0 ? s : { ...s, needs: [...new Set([...s.needs, steps[n - 1]!.id])] }));
}

/** Raw template steps (placeholders filled) → formula steps, checked like a file's `[[steps]]`. */
function stepsFrom(raw: unknown[], fill: (text: string) => string, where: string): FormulaStep[] {
  const parsed = formulaFileSchema.safeParse({
    formula: 'composed',
    steps: raw.map((r) => fillDeep(r, fill)),
  });
  if (!parsed.success)
    throw invalidInput(
      `${where}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return normalizeFormula(parsed.data, where).steps;
}

/**
 * Puts `replacement` where `target` was: steps in it that need nothing of it take the target's
 * needs, and every step that needed the target needs the replacement's last steps instead.
 */
function splice(steps: FormulaStep[], target: FormulaStep, replacement: FormulaStep[]): FormulaStep[] {
  const ids = new Set(replacement.map((s) => s.id));
  const needed = new Set(replacement.flatMap((s) => s.needs));
  const sinks = replacement.filter((s) => !needed.has(s.id)).map((s) => s.id);
  const placed = replacement.map((s) =>
    s.needs.some((n) => ids.has(n)) ? s : { ...s, needs: [...new Set([...s.needs, ...target.needs])] },
  );
  const rewire = (list: FormulaStep[]): FormulaStep[] =>
    list.flatMap((s) =>
      s === target
        ? placed
        : [
            {
              ...s,
              needs: [...new Set(s.needs.flatMap((n) => (n === target.id ? sinks : [n])))],
              children: rewire(s.children),
            },
          ],
    );
  return rewire(steps);
}

function findStep(steps: readonly FormulaStep[], id: string): FormulaStep | undefined {
  for (const s of steps) {
    if (s.id === id) return s;
    const inside = findStep(s.children, id);
    if (inside) return inside;
  }
  return undefined;
}

function idsOf(steps: readonly FormulaStep[]): string[] {
  return steps.flatMap((s) => [s.id, ...idsOf(s.children)]);
}

function glob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

function fillDeep(value: unknown, fill: (text: string) => string): unknown {
  if (typeof value === 'string') return fill(value);
  if (Array.isArray(value)) return value.map((v) => fillDeep(v, fill));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, fill)]));
  return value;
}
