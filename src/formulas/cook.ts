// `cook`: a formula and some variables → a proto (plain JSON). Workflows get their control flow
// applied (control-flow.ts), human steps and gates marked, and `{{var}}` filled where a value is
// known; convoys go through cook-convoy.ts. With `strict` (pouring) nothing may stay unfilled.
import { invalidInput } from '../errors.js';
import { applyControlFlow } from './control-flow.js';
import { cookConvoy } from './cook-convoy.js';
import type { Formula, FormulaStep } from './formula.js';
import type { Proto, ProtoStep } from './proto.js';
import { durationMs, protoSteps } from './proto.js';
import { placeholders, resolveVars, substitute } from './vars.js';

export interface CookOptions {
  vars?: Record<string, string>;
  /** Every variable must have a value (pouring); without it `{{name}}` stays as written. */
  strict?: boolean;
  /** Convoys: the legs of this preset. */
  preset?: string;
  /** Convoys: exactly these legs. */
  legs?: string[];
}

export function cook(formula: Formula, options: CookOptions = {}): Proto {
  if ((formula.type === 'expansion' || formula.type === 'aspect') && formula.steps.length === 0)
    throw invalidInput(
      `${formula.name} is an ${formula.type} formula: it has no steps of its own; apply it from another formula (${formula.type === 'expansion' ? 'compose.expand or compose.map' : 'compose.aspects'})`,
    );
  const proto =
    formula.type === 'convoy' ? cookConvoy(formula, options) : cookWorkflow(formula, options.vars ?? {});
  if (formula.type === 'expansion' || formula.type === 'aspect')
    proto.warnings.push(
      `type ${formula.type}: applied as a workflow of its steps (expansion into other formulas is not supported yet)`,
    );
  const texts = protoSteps(proto.steps).flatMap((s) => [
    s.title,
    s.description ?? '',
    s.notes ?? '',
    s.acceptance ?? '',
    ...(s.run ?? []),
  ]);
  proto.unfilled = [...new Set([...proto.unfilled, ...texts.flatMap(placeholders)])].sort();
  if (options.strict && proto.unfilled.length > 0)
    throw invalidInput(
      `${formula.name}: give a value for ${proto.unfilled.map((v) => `--var ${v}=…`).join(', ')}`,
    );
  return proto;
}

function cookWorkflow(formula: Formula, given: Record<string, string>): Proto {
  const { values } = resolveVars(formula.vars, given, formula.name);
  const flow = applyControlFlow(formula.steps, values);
  const warnings = [...flow.warnings];
  const steps = toProtoSteps(flow.steps, values, warnings);
  // A need of a dropped step goes; of a loop, its last step; of a container, every step inside it.
  const byId = new Map(protoSteps(steps).map((s) => [s.id, s]));
  const resolve = (id: string, seen: Set<string>): string[] => {
    if (seen.has(id)) return [];
    seen.add(id);
    const replaced = flow.replaced.get(id);
    if (replaced) return replaced.flatMap((r) => resolve(r, seen));
    const step = byId.get(id);
    if (step?.kind === 'container') return step.children.flatMap((c) => resolve(c.id, seen));
    return [id];
  };
  for (const step of byId.values())
    step.needs = [...new Set(step.needs.flatMap((n) => resolve(n, new Set())))];
  return {
    formula: formula.name,
    ...(formula.description === undefined ? {} : { description: substitute(formula.description, values) }),
    type: formula.type,
    source: formula.source,
    vars: values,
    unfilled: [],
    steps,
    warnings,
    unknown: formula.unknown,
  };
}

function toProtoSteps(
  steps: readonly FormulaStep[],
  values: Record<string, string>,
  warnings: string[],
): ProtoStep[] {
  const fill = (text: string): string => substitute(text, values);
  return steps.flatMap((step): ProtoStep[] => {
    const children = toProtoSteps(step.children, values, warnings);
    const kind =
      children.length > 0
        ? 'container'
        : step.type === 'human'
          ? 'human'
          : step.type === 'gate'
            ? 'gate'
            : 'step';
    const made: ProtoStep = {
      id: step.id,
      kind,
      title: fill(step.title),
      type:
        kind === 'container'
          ? 'epic'
          : kind === 'gate'
            ? 'gate'
            : kind === 'human'
              ? 'task'
              : (step.type ?? 'task'),
      labels: step.labels.map(fill),
      needs: step.needs,
      children,
    };
    if (step.description !== undefined) made.description = fill(step.description);
    if (step.notes !== undefined) made.notes = fill(step.notes);
    if (step.acceptance !== undefined) made.acceptance = fill(step.acceptance);
    if (step.priority !== undefined) made.priority = step.priority;
    if (step.assignee !== undefined) made.assignee = fill(step.assignee);
    if (step.metadata !== undefined)
      made.metadata = fillDeep(step.metadata, values) as Record<string, unknown>;
    if (step.condition !== undefined) made.condition = step.condition;
    if (step.agent !== undefined) made.agent = step.agent;
    if (step.run !== undefined && kind === 'container')
      warnings.push(`step ${step.id}: has children, so its own run is not used (its children do the work)`);
    else if (step.run !== undefined) made.run = step.run.map(fill);
    if (Object.keys(step.extra).length > 0) made.extra = step.extra;
    if (!step.gate) return [made];
    const { type, timeout } = step.gate;
    if (type === 'timer') {
      if (timeout !== undefined && durationMs(timeout) !== undefined) {
        made.delay = timeout;
        return [made];
      }
      warnings.push(
        `step ${step.id}: timer gate without a duration (timeout = "30m"); it waits for the Overseer instead`,
      );
    } else if (type !== 'human') {
      warnings.push(
        `step ${step.id}: gate type "${type}" is not supported yet; the Overseer closes ${step.id}.gate by hand`,
      );
    }
    const gate: ProtoStep = {
      id: `${step.id}.gate`,
      kind: 'gate',
      title: `Gate (${type}): ${made.title}`,
      description: `Waits for the Overseer: close this bead (gt bd close) to let "${made.title}" start.${timeout ? ` Timeout: ${timeout}.` : ''}`,
      type: 'gate',
      labels: [`gate:${type}`],
      needs: step.needs,
      children: [],
    };
    made.needs = [gate.id];
    return [gate, made];
  });
}

function fillDeep(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string') return substitute(value, values);
  if (Array.isArray(value)) return value.map((v) => fillDeep(v, values));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, values)]));
  return value;
}
