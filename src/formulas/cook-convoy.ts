// Cooking a convoy formula: the inputs checked (required, required_unless, type, default), the legs
// chosen (a preset, `--legs`, or all), each leg a step whose description is the base prompt rendered
// for it (Go text/template), and the synthesis a step that needs every chosen leg it depends on.
import { invalidInput } from '../errors.js';
import type { CookOptions } from './cook.js';
import type { Formula, Leg } from './formula.js';
import { renderGoTemplate } from './go-template.js';
import type { Proto, ProtoStep } from './proto.js';
import { resolveVars, substitute } from './vars.js';

export function cookConvoy(formula: Formula, options: CookOptions): Proto {
  const given = options.vars ?? {};
  const inputNames = new Set(Object.keys(formula.inputs));
  const forVars = Object.fromEntries(Object.entries(given).filter(([k]) => !inputNames.has(k)));
  const { values } = resolveVars(formula.vars, forVars, formula.name);
  const { inputs, missing } = resolveInputs(formula, given);
  if (options.strict && missing.length > 0) throw invalidInput(`${formula.name}: ${missing.join('; ')}`);
  const legs = chooseLegs(formula, options);
  const all = { ...values, ...inputs };
  // Without every input the templates cannot be rendered faithfully: they stay as written.
  const render =
    missing.length > 0
      ? (t: string) => t
      : (t: string, data: object, name: string) =>
          substitute(renderGoTemplate(t, data, `${formula.name} ${name}`), all);
  const base = { ...all, formula_name: formula.name, formula: formula.name, inputs };
  const output = formula.output ?? {};
  const directory =
    output.directory === undefined ? undefined : render(output.directory, base, 'output.directory');
  const outputData = { ...output, ...(directory === undefined ? {} : { directory }) };
  const legOutputs: string[] = [];
  const steps: ProtoStep[] = legs.map((leg) => {
    const legData = {
      id: leg.id,
      title: leg.title,
      focus: leg.focus ?? '',
      description: leg.description ?? '',
    };
    const data = { ...base, leg: legData, output: outputData };
    const file =
      output.leg_pattern === undefined
        ? undefined
        : render(output.leg_pattern, data, `legs.${leg.id} output`);
    const outputPath =
      file === undefined ? undefined : directory === undefined ? file : `${directory}/${file}`;
    if (outputPath !== undefined) legOutputs.push(outputPath);
    const withPath = { ...data, output_path: outputPath ?? '' };
    const prompt = formula.prompts.base;
    const description =
      prompt === undefined ? (leg.description ?? '') : render(prompt, withPath, 'prompts.base');
    return legStep(
      leg,
      render(leg.title, withPath, `legs.${leg.id}.title`),
      description,
      withPath,
      render,
      outputPath,
    );
  });
  if (formula.synthesis) {
    const s = formula.synthesis;
    const chosen = new Set(legs.map((l) => l.id));
    const data = {
      ...base,
      output: outputData,
      legs: legs.map((l) => ({ id: l.id, title: l.title })),
      leg_outputs: legOutputs,
    };
    const synthesis: ProtoStep = {
      id: 'synthesis',
      kind: 'synthesis',
      title: render(s.title ?? `Synthesis: ${formula.name}`, data, 'synthesis.title'),
      description: [
        render(s.description ?? '', data, 'synthesis.description'),
        legOutputs.length > 0
          ? `Leg outputs (merged before this step starts):\n${legOutputs.map((p) => `- ${p}`).join('\n')}`
          : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
      type: 'task',
      labels: ['synthesis'],
      needs: (s.depends_on ?? legs.map((l) => l.id)).filter((id) => chosen.has(id)),
      metadata: { synthesis: { legs: [...chosen], outputs: legOutputs } },
      children: [],
    };
    if (s.agent !== undefined) synthesis.agent = s.agent;
    if (s.run !== undefined) synthesis.run = s.run.map((r) => render(r, data, 'synthesis.run'));
    if (Object.keys(s.extra).length > 0) synthesis.extra = s.extra;
    steps.push(synthesis);
  }
  return {
    formula: formula.name,
    ...(formula.description === undefined ? {} : { description: formula.description }),
    type: formula.type,
    source: formula.source,
    vars: all,
    unfilled: missing.length > 0 ? Object.keys(formula.inputs).filter((n) => !(n in inputs)) : [],
    legs: legs.map((l) => l.id),
    steps,
    warnings: [],
    unknown: formula.unknown,
  };
}

type Render = (text: string, data: object, name: string) => string;

function legStep(
  leg: Leg,
  title: string,
  description: string,
  data: object,
  render: Render,
  outputPath?: string,
): ProtoStep {
  const step: ProtoStep = {
    id: leg.id,
    kind: 'leg',
    title,
    description,
    type: 'task',
    labels: [`leg:${leg.id}`],
    needs: [],
    metadata: {
      leg: {
        id: leg.id,
        focus: leg.focus ?? '',
        ...(outputPath === undefined ? {} : { output: outputPath }),
      },
    },
    children: [],
  };
  if (leg.agent !== undefined) step.agent = leg.agent;
  if (leg.run !== undefined) step.run = leg.run.map((r) => render(r, data, `legs.${leg.id}.run`));
  if (Object.keys(leg.extra).length > 0) step.extra = leg.extra;
  return step;
}

function chooseLegs(formula: Formula, options: CookOptions): Leg[] {
  if (options.preset !== undefined && options.legs !== undefined)
    throw invalidInput('--preset and --legs: give one of them');
  let ids: string[] | undefined = options.legs;
  if (options.preset !== undefined) {
    const preset = formula.presets[options.preset];
    if (!preset) {
      const known = Object.keys(formula.presets);
      throw invalidInput(
        `${formula.name}: no preset "${options.preset}"${known.length > 0 ? ` (presets: ${known.join(', ')})` : ''}`,
      );
    }
    ids = preset.legs;
  }
  if (ids === undefined) return formula.legs;
  const byId = new Map(formula.legs.map((l) => [l.id, l]));
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length > 0)
    throw invalidInput(
      `${formula.name}: no leg named ${unknown.join(', ')} (legs: ${[...byId.keys()].join(', ')})`,
    );
  if (ids.length === 0) throw invalidInput(`${formula.name}: choose at least one leg`);
  return [...new Set(ids)].map((id) => byId.get(id)!);
}

function resolveInputs(
  formula: Formula,
  given: Record<string, string>,
): { inputs: Record<string, string>; missing: string[] } {
  const inputs: Record<string, string> = {};
  const problems: string[] = [];
  for (const [name, def] of Object.entries(formula.inputs)) {
    const value = given[name] ?? def.default;
    if (value === undefined) continue;
    if (def.type === 'number' && !/^-?\d+(\.\d+)?$/.test(value))
      problems.push(`--var ${name}=${value}: must be a number`);
    if ((def.type === 'boolean' || def.type === 'bool') && !['true', 'false'].includes(value))
      problems.push(`--var ${name}=${value}: must be true or false`);
    inputs[name] = value;
  }
  if (problems.length > 0) throw invalidInput(`${formula.name}: ${problems.join('; ')}`);
  const missing: string[] = [];
  for (const [name, def] of Object.entries(formula.inputs)) {
    if (name in inputs) continue;
    if (def.required) missing.push(`input ${name} is required (--var ${name}=…)`);
    else if (def.required_unless.length > 0 && !def.required_unless.some((other) => other in inputs))
      missing.push(`input ${name} is required unless one of ${def.required_unless.join(', ')} is given`);
  }
  return { inputs, missing };
}
