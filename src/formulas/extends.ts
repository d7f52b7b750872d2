// `extends`: a formula inherits its parents' vars, steps, inputs, prompts, legs and presets; what
// the child defines wins — a step or leg with the same id replaces the parent's in place, new ones
// come after, and a table key the child sets overrides the parent's.
import type { Formula } from './formula.js';

export function mergeFormulas(parents: readonly Formula[], child: Formula): Formula {
  const base = parents.reduce<Formula | undefined>(
    (merged, next) => (merged ? overlay(merged, next) : next),
    undefined,
  );
  if (!base) return child;
  const merged = overlay(base, child);
  merged.parents = [...parents.map((p) => p.source), ...parents.flatMap((p) => p.parents)];
  return merged;
}

function overlay(parent: Formula, child: Formula): Formula {
  const merged: Formula = {
    ...parent,
    name: child.name,
    type: child.typeInferred ? parent.type : child.type,
    extends: child.extends,
    vars: { ...parent.vars, ...child.vars },
    steps: byId(parent.steps, child.steps),
    inputs: { ...parent.inputs, ...child.inputs },
    prompts: { ...parent.prompts, ...child.prompts },
    legs: byId(parent.legs, child.legs),
    presets: { ...parent.presets, ...child.presets },
    source: child.source,
    extra: { ...parent.extra, ...child.extra },
    unknown: [...new Set([...parent.unknown, ...child.unknown])],
  };
  if (child.typeInferred && parent.typeInferred) merged.typeInferred = true;
  else delete merged.typeInferred;
  if (child.description !== undefined) merged.description = child.description;
  if (child.version !== undefined) merged.version = child.version;
  if (child.output !== undefined) merged.output = { ...parent.output, ...child.output };
  if (child.synthesis !== undefined) merged.synthesis = { ...parent.synthesis, ...child.synthesis };
  return merged;
}

function byId<T extends { id: string }>(parent: readonly T[], child: readonly T[]): T[] {
  const replaced = new Map(child.map((item) => [item.id, item]));
  const merged = parent.map((item) => replaced.get(item.id) ?? item);
  const inherited = new Set(parent.map((item) => item.id));
  return [...merged, ...child.filter((item) => !inherited.has(item.id))];
}
