// Text for `gt formula show` and `gt bd mol show|progress`: a formula's variables, steps, legs
// and the keys we do not act on; a molecule's steps with their state and its progress.
import type { Formula, FormulaStep, Molecule } from '../../formulas/index.js';

export function formulaLines(formula: Formula, warnings: readonly string[]): string[] {
  const lines = [
    `${formula.name} (${formula.type}${formula.version === undefined ? '' : `, version ${formula.version}`})`,
  ];
  lines.push(
    `  from ${formula.source}${formula.parents.length > 0 ? `, extends ${formula.parents.join(', ')}` : ''}`,
  );
  if (formula.description)
    lines.push(
      ...formula.description
        .trim()
        .split('\n')
        .map((l) => `  ${l}`),
    );
  const vars = Object.entries(formula.vars);
  if (vars.length > 0) lines.push('vars:');
  for (const [name, def] of vars) {
    const facts = [
      def.required ? 'required' : def.default === undefined ? 'no default' : `default "${def.default}"`,
      ...(def.enum ? [`one of ${def.enum.join('|')}`] : []),
      ...(def.pattern ? [`pattern ${def.pattern}`] : []),
      ...(def.type ? [`type ${def.type}`] : []),
    ];
    lines.push(`  ${name}: ${facts.join(', ')}${def.description ? ` — ${def.description}` : ''}`);
  }
  const inputs = Object.entries(formula.inputs);
  if (inputs.length > 0) lines.push('inputs:');
  for (const [name, def] of inputs) {
    const facts = [
      ...(def.required ? ['required'] : []),
      ...(def.required_unless.length > 0 ? [`required unless ${def.required_unless.join(' or ')}`] : []),
      ...(def.default === undefined ? [] : [`default "${def.default}"`]),
      ...(def.type ? [`type ${def.type}`] : []),
    ];
    lines.push(
      `  ${name}: ${facts.join(', ') || 'optional'}${def.description ? ` — ${def.description}` : ''}`,
    );
  }
  if (formula.steps.length > 0) lines.push('steps:');
  const walk = (steps: readonly FormulaStep[], depth: number): void => {
    for (const step of steps) {
      const facts = [
        ...(step.type ? [step.type] : []),
        ...(step.needs.length > 0 ? [`needs ${step.needs.join(', ')}`] : []),
        ...(step.condition ? [`if ${step.condition}`] : []),
        ...(step.gate ? [`gate ${step.gate.type}${step.gate.timeout ? ` ${step.gate.timeout}` : ''}`] : []),
        ...(step.loop ? [`loop ${step.loop.count ?? step.loop.range ?? `until ${step.loop.until}`}`] : []),
        ...(step.agent ? [`agent ${step.agent}`] : []),
        ...(step.run ? [`${step.run.length} run step(s)`] : []),
      ];
      lines.push(
        `${'  '.repeat(depth)}- ${step.id}: ${step.title}${facts.length > 0 ? `  [${facts.join('; ')}]` : ''}`,
      );
      walk(step.children, depth + 1);
      if (step.loop) walk(step.loop.body, depth + 1);
    }
  };
  walk(formula.steps, 1);
  if (formula.legs.length > 0) lines.push('legs:');
  for (const leg of formula.legs)
    lines.push(
      `  - ${leg.id}: ${leg.title}${leg.focus ? ` — ${leg.focus}` : ''}${leg.agent ? ` [agent ${leg.agent}]` : ''}`,
    );
  for (const [name, preset] of Object.entries(formula.presets))
    lines.push(`preset ${name}: ${preset.legs.join(', ')}`);
  if (formula.synthesis)
    lines.push(
      `synthesis: ${formula.synthesis.title ?? 'synthesis'} (after ${(formula.synthesis.depends_on ?? formula.legs.map((l) => l.id)).join(', ')})`,
    );
  if (formula.unknown.length > 0) lines.push(`not acted on (kept as written): ${formula.unknown.join(', ')}`);
  for (const warning of warnings) lines.push(`warning: ${warning}`);
  return lines;
}

export function moleculeLines(molecule: Molecule): string[] {
  const { root, info } = molecule;
  const vars = Object.entries(info.vars)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const lines = [
    `${root.id} ${molecule.wisp ? 'wisp' : 'molecule'} of formula ${info.formula}: ${molecule.done}/${molecule.total} steps closed${molecule.finished ? ' (finished)' : ''}`,
    `  from ${info.source}${vars ? `; vars ${vars}` : ''}`,
  ];
  for (const step of molecule.steps) {
    const depth = step.bead.id.split('.').length - root.id.split('.').length;
    lines.push(
      `${'  '.repeat(depth)}${step.bead.id}  ${step.step.id}  ${step.step.kind}  ${step.state}  ${step.bead.title}`,
    );
  }
  for (const warning of info.warnings ?? []) lines.push(`warning: ${warning}`);
  return lines;
}
