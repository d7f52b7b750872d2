// From a checked file to a `Formula`: fills defaults, merges `needs` with `depends_on`, turns a
// var's plain string into its default, and sets every key we do not act on aside (kept in `extra`,
// named in `unknown`) instead of dropping it.
import type { Formula, FormulaStep, InputDef, Leg, Synthesis, VarDef } from './formula.js';
import type { FormulaFile, RawStep } from './schema.js';
import { knownKeys } from './schema.js';

type Table = Record<string, unknown>;

export function normalizeFormula(file: FormulaFile, source: string): Formula {
  const unknown: string[] = [];
  const extraOf = (table: object, known: readonly string[], where: string): Record<string, unknown> => {
    const extra: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(table)) {
      if (known.includes(key)) continue;
      extra[key] = value;
      unknown.push(where === '' ? key : `${where}.${key}`);
    }
    return extra;
  };
  const step = (raw: RawStep, where: string): FormulaStep => {
    const at = `${where}.${raw.id}`;
    const made: FormulaStep = {
      id: raw.id,
      title: raw.title ?? raw.id,
      labels: raw.labels ?? [],
      needs: [...new Set([...(raw.needs ?? []), ...(raw.depends_on ?? [])])],
      children: (raw.children ?? []).map((child) => step(child, `${at}.children`)),
      extra: extraOf(raw, knownKeys.step, at),
    };
    copy(raw, made, ['description', 'notes', 'acceptance', 'type', 'priority', 'assignee']);
    copy(raw, made, ['metadata', 'condition', 'agent', 'run']);
    if (raw.gate) {
      const { type, id, timeout } = raw.gate;
      extraOf(raw.gate, knownKeys.gate, `${at}.gate`);
      made.gate = {
        type,
        ...(id === undefined ? {} : { id }),
        ...(timeout === undefined ? {} : { timeout }),
      };
    }
    if (raw.loop) {
      extraOf(raw.loop, knownKeys.loop, `${at}.loop`);
      const { body, ...spec } = raw.loop;
      const loop: FormulaStep['loop'] = { body: body.map((b) => step(b, `${at}.loop.body`)) };
      copy(spec, loop, ['count', 'until', 'max', 'range', 'var']);
      made.loop = loop;
    }
    return made;
  };
  const formula: Formula = {
    name: file.formula,
    type: file.type ?? ((file.legs ?? []).length > 0 ? 'convoy' : 'workflow'),
    ...(file.type === undefined ? { typeInferred: true } : {}),
    extends: file.extends === undefined ? [] : [file.extends].flat(),
    vars: mapValues(file.vars ?? {}, (def, name) => varDef(def, extraOf, name)),
    steps: (file.steps ?? []).map((s) => step(s, 'steps')),
    inputs: mapValues(file.inputs ?? {}, (input, name) => inputDef(input, extraOf, name)),
    prompts: file.prompts ?? {},
    legs: (file.legs ?? []).map((raw): Leg => {
      const leg: Leg = {
        id: raw.id,
        title: raw.title ?? raw.id,
        extra: extraOf(raw, knownKeys.leg, `legs.${raw.id}`),
      };
      copy(raw, leg, ['focus', 'description', 'agent', 'run']);
      return leg;
    }),
    presets: mapValues(file.presets ?? {}, (preset, name) => {
      extraOf(preset, knownKeys.preset, `presets.${name}`);
      return {
        legs: preset.legs,
        ...(preset.description === undefined ? {} : { description: preset.description }),
      };
    }),
    source,
    parents: [],
    extra: extraOf(file, knownKeys.formula, ''),
    unknown,
  };
  copy(file, formula, ['description', 'version']);
  if (file.output) {
    extraOf(file.output, knownKeys.output, 'output');
    formula.output = {};
    copy(file.output, formula.output, ['directory', 'leg_pattern', 'synthesis']);
  }
  if (file.synthesis) {
    const synthesis: Synthesis = { extra: extraOf(file.synthesis, knownKeys.synthesis, 'synthesis') };
    copy(file.synthesis, synthesis, ['title', 'description', 'depends_on', 'agent', 'run']);
    formula.synthesis = synthesis;
  }
  return formula;
}

type ExtraOf = (table: object, known: readonly string[], where: string) => Record<string, unknown>;

function varDef(def: string | Table, extraOf: ExtraOf, name: string): VarDef {
  if (typeof def === 'string') return { default: def, required: false };
  extraOf(def, knownKeys.var, `vars.${name}`);
  const made: VarDef = { required: def.required === true };
  if (typeof def.description === 'string') made.description = def.description;
  if (isScalar(def.default)) made.default = String(def.default);
  if (Array.isArray(def.enum)) made.enum = def.enum.map(String);
  if (typeof def.pattern === 'string') made.pattern = def.pattern;
  if (typeof def.type === 'string') made.type = def.type;
  return made;
}

function inputDef(input: Table, extraOf: ExtraOf, name: string): InputDef {
  extraOf(input, knownKeys.input, `inputs.${name}`);
  const made: InputDef = {
    required: input.required === true,
    required_unless: Array.isArray(input.required_unless) ? input.required_unless.map(String) : [],
  };
  if (typeof input.description === 'string') made.description = input.description;
  if (typeof input.type === 'string') made.type = input.type;
  if (isScalar(input.default)) made.default = String(input.default);
  return made;
}

function copy<S extends object, T extends object>(from: S, to: T, keys: readonly string[]): void {
  for (const key of keys) {
    const value = (from as Table)[key];
    if (value !== undefined) (to as Table)[key] = value;
  }
}

function mapValues<V, R>(record: Record<string, V>, fn: (value: V, key: string) => R): Record<string, R> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value, key)]));
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
