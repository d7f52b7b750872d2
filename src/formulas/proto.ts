// A proto: a formula cooked into plain JSON — conditions applied, loops expanded, legs and the
// synthesis turned into steps, variables filled where they have values — ready to pour into beads.

export const stepKinds = ['step', 'container', 'human', 'gate', 'leg', 'synthesis'] as const;
export type StepKind = (typeof stepKinds)[number];

export interface ProtoStep {
  id: string;
  /**
   * `step`: work slung to a polecat; `container`: a step with children (done when they are);
   * `human` and `gate`: wait for the Overseer's `gt bd close`; `leg` and `synthesis`: a convoy's.
   */
  kind: StepKind;
  title: string;
  description?: string;
  notes?: string;
  acceptance?: string;
  /** The bead's issue type. */
  type: string;
  priority?: number;
  labels: string[];
  assignee?: string;
  metadata?: Record<string, unknown>;
  /** Ids of steps of this proto that must close first. */
  needs: string[];
  /** A condition that could not be decided yet (its variables have no value). */
  condition?: string;
  /** A timer gate: the step waits this long after pouring (e.g. `1h`). */
  delay?: string;
  agent?: string;
  run?: string[];
  children: ProtoStep[];
  /** Keys of the formula's step we do not act on, kept verbatim. */
  extra?: Record<string, unknown>;
}

export interface Proto {
  formula: string;
  description?: string;
  type: string;
  source: string;
  /** The variables (and convoy inputs) the proto was cooked with, defaults included. */
  vars: Record<string, string>;
  /** Variables still written as `{{name}}`: pouring needs them. */
  unfilled: string[];
  /** For convoys: the legs chosen (a preset's, `--legs`, or all). */
  legs?: string[];
  steps: ProtoStep[];
  /** Things the formula asks for that we do not do yet (say so instead of pretending). */
  warnings: string[];
  /** Keys of the formula we do not act on. */
  unknown: string[];
}

/** Every step of a proto, depth first. */
export function protoSteps(steps: readonly ProtoStep[]): ProtoStep[] {
  return steps.flatMap((step) => [step, ...protoSteps(step.children)]);
}

/** `30s`, `15m`, `1h30m`, `2d` → milliseconds; undefined when it is not a duration. */
export function durationMs(text: string): number | undefined {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.trim()) return undefined;
  return parts.reduce((total, p) => total + Number(p[1]) * units[p[2]!]!, 0);
}
