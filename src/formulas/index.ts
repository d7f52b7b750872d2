// Formulas: Gas Town's and beads' `*.formula.toml` templates of work — read, checked, merged
// (`extends`), cooked into protos, and poured into molecules of beads. Core: no terminal, HTTP or
// process I/O; beads are written only through the BeadStore, inside the caller's transaction.
export type {
  Formula,
  FormulaStep,
  VarDef,
  Gate,
  Loop,
  InputDef,
  Leg,
  Preset,
  Synthesis,
  OutputDef,
} from './formula.js';
export { formulaTypes } from './schema.js';
export type { FormulaType } from './schema.js';
export { parseFormula } from './parse.js';
export type { FormulaText } from './parse.js';
export {
  formulaPath,
  listFormulas,
  loadFormula,
  loadFormulaFile,
  builtinFormulaDir,
  formulaSuffixes,
} from './library.js';
export type { FormulaDir, FormulaEntry } from './library.js';
export { cook } from './cook.js';
export type { CookOptions } from './cook.js';
export type { Proto, ProtoStep, StepKind } from './proto.js';
export { protoSteps, durationMs, stepKinds } from './proto.js';
export { parseVarPairs, resolveVars, substitute } from './vars.js';
export { renderGoTemplate } from './go-template.js';
export { evaluateCondition } from './control-flow.js';
export { pour, overseerKinds } from './pour.js';
export type { PourOptions, PouredMolecule, PouredStep } from './pour.js';
export { loadMolecule, listMolecules, descendants } from './molecule.js';
export type { Molecule, MoleculeStep } from './molecule.js';
export {
  moleculeInfo,
  stepInfo,
  isEphemeral,
  isPouredWisp,
  moleculeLabel,
  digestLabel,
  formulaLabel,
  stepLabel,
} from './molecule-meta.js';
export type { MoleculeInfo, StepInfo } from './molecule-meta.js';
