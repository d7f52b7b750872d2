// A formula as the rest of the code sees it: checked, normalised (`needs` and `depends_on` merged,
// a var's plain string turned into its default, `extends` not yet applied), with every key we do
// not act on kept in `extra` and listed in `unknown` so `show` can report it.
import type { FormulaType } from './schema.js';

export interface VarDef {
  description?: string;
  default?: string;
  required: boolean;
  enum?: string[];
  pattern?: string;
  type?: string;
}

export interface Gate {
  type: string;
  id?: string;
  timeout?: string;
}

export interface Loop {
  count?: number;
  until?: string;
  max?: number;
  range?: string;
  var?: string;
  body: FormulaStep[];
}

export interface FormulaStep {
  id: string;
  title: string;
  description?: string;
  notes?: string;
  acceptance?: string;
  type?: string;
  priority?: number;
  labels: string[];
  assignee?: string;
  metadata?: Record<string, unknown>;
  /** `needs` and `depends_on` together, in order, without repeats. */
  needs: string[];
  condition?: string;
  children: FormulaStep[];
  gate?: Gate;
  loop?: Loop;
  /** Our extension: the agent runtime for this step (else the run's, else the town's default). */
  agent?: string;
  /** Our extension: shell steps for the `script` agent, stored like `gt bd create --step`. */
  run?: string[];
  extra: Record<string, unknown>;
}

export interface InputDef {
  description?: string;
  type?: string;
  required: boolean;
  required_unless: string[];
  default?: string;
}

export interface Leg {
  id: string;
  title: string;
  focus?: string;
  description?: string;
  agent?: string;
  run?: string[];
  extra: Record<string, unknown>;
}

export interface Preset {
  description?: string;
  legs: string[];
}

export interface Synthesis {
  title?: string;
  description?: string;
  depends_on?: string[];
  agent?: string;
  run?: string[];
  extra: Record<string, unknown>;
}

export interface OutputDef {
  directory?: string;
  leg_pattern?: string;
  synthesis?: string;
}

export interface Formula {
  name: string;
  description?: string;
  version?: number;
  type: FormulaType;
  /** The file gave no `type`: it was inferred (legs make a convoy), and a parent's wins. */
  typeInferred?: true;
  extends: string[];
  vars: Record<string, VarDef>;
  steps: FormulaStep[];
  inputs: Record<string, InputDef>;
  prompts: Record<string, string>;
  output?: OutputDef;
  legs: Leg[];
  presets: Record<string, Preset>;
  synthesis?: Synthesis;
  /** The file it was read from (the child's, for a formula that extends others). */
  source: string;
  /** The files of the formulas it extends, nearest first. */
  parents: string[];
  /** Top-level keys we do not act on, kept verbatim. */
  extra: Record<string, unknown>;
  /** Every key we do not act on, anywhere in the file, as a readable path. */
  unknown: string[];
}
