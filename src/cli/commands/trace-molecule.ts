// For `gt trace`: when the bead is a formula's step (or a molecule), where it came from — its
// molecule, the formula file and the variables it was poured with.
import type { Bead } from '../../beads/index.js';
import { moleculeInfo, stepInfo } from '../../formulas/index.js';

export interface TraceMolecule {
  molecule: string;
  formula: string;
  source: string;
  step?: string;
  vars: Record<string, string>;
  line: string;
}

export function moleculeOf(bead: Bead, top: Bead | undefined): TraceMolecule | undefined {
  const step = stepInfo(bead);
  const root = moleculeInfo(bead) ? bead : top !== undefined && top.id === step?.molecule ? top : undefined;
  const info = root ? moleculeInfo(root) : undefined;
  if (!root || !info) return undefined;
  const vars = Object.entries(info.vars)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const what = step ? `step ${step.id} of molecule ${root.id}` : `molecule ${root.id}`;
  return {
    molecule: root.id,
    formula: info.formula,
    source: info.source,
    ...(step ? { step: step.id } : {}),
    vars: info.vars,
    line: `${what}: formula ${info.formula} (${info.source})${vars ? `, vars ${vars}` : ''}${step ? ` — gt trace ${root.id} for the whole molecule` : ''}`,
  };
}
