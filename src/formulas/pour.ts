// `pour`: a proto → a molecule. The root is an epic bead; each step is a child bead (`parent-child`,
// a container's steps under it), its `needs` become `blocks` edges, a timer gate defers it, and
// labels and metadata name the formula, step and variables. A wisp marks every bead ephemeral.
// Only BeadStore calls: the caller wraps them in one transaction (all beads, or none).
import type { Bead, BeadStore, NewBead } from '../beads/index.js';
import { ErrorCode, GasTownError } from '../errors.js';
import type { MoleculeInfo, StepInfo } from './molecule-meta.js';
import { formulaLabel, moleculeExtra, moleculeLabel, stepLabel } from './molecule-meta.js';
import type { Proto, ProtoStep, StepKind } from './proto.js';
import { durationMs } from './proto.js';

export interface PourOptions {
  /** Id prefix of the beads (the rig's). */
  prefix: string;
  actor: string;
  wisp?: boolean;
  /** The agent for steps that name none (`gt formula run --agent`). */
  agent?: string;
  now?: Date;
}

export interface PouredStep {
  step: string;
  bead: string;
  kind: StepKind;
}

export interface PouredMolecule {
  root: Bead;
  steps: PouredStep[];
}

/** Kinds of step the Overseer closes; nothing slings them. */
export const overseerKinds: readonly StepKind[] = ['human', 'gate'];

export async function pour(beads: BeadStore, proto: Proto, options: PourOptions): Promise<PouredMolecule> {
  const ctx = { actor: options.actor, ...(options.now ? { now: options.now } : {}) };
  const wisp = options.wisp === true;
  const info: MoleculeInfo = { formula: proto.formula, source: proto.source, vars: proto.vars, wisp };
  if (proto.legs) info.legs = proto.legs;
  if (proto.warnings.length > 0) info.warnings = proto.warnings;
  const root = await beads.create(
    {
      prefix: options.prefix,
      title: `${proto.formula}${proto.description ? `: ${proto.description.split('\n')[0]}` : ''}`.slice(
        0,
        200,
      ),
      ...(proto.description ? { description: proto.description } : {}),
      issue_type: 'epic',
      labels: [moleculeLabel, formulaLabel(proto.formula), ...(wisp ? ['wisp'] : [])],
      extra: moleculeExtra(undefined, { molecule: info }, wisp),
    },
    ctx,
  );
  const ids = new Map<string, string>();
  const poured: PouredStep[] = [];
  // Parents before children, and every step after the steps it needs.
  const pending = flatten(proto.steps, undefined);
  while (pending.length > 0) {
    const next = pending.findIndex(
      ({ step, parent }) => (parent === undefined || ids.has(parent)) && step.needs.every((n) => ids.has(n)),
    );
    if (next < 0) {
      throw new GasTownError(
        ErrorCode.invalidInput,
        `${proto.formula}: steps ${pending.map((p) => p.step.id).join(', ')} need steps that never come`,
      );
    }
    const { step, parent } = pending.splice(next, 1)[0]!;
    const input = stepBead(step, proto, root.id, options, wisp);
    input.parent = parent === undefined ? root.id : ids.get(parent)!;
    if (step.needs.length > 0)
      input.dependencies = step.needs.map((n) => ({ type: 'blocks', depends_on_id: ids.get(n)! }));
    const bead = await beads.create(input, ctx);
    ids.set(step.id, bead.id);
    poured.push({ step: step.id, bead: bead.id, kind: step.kind });
  }
  return { root, steps: poured };
}

function stepBead(
  step: ProtoStep,
  proto: Proto,
  molecule: string,
  options: PourOptions,
  wisp: boolean,
): NewBead {
  const info: StepInfo = { formula: proto.formula, id: step.id, kind: step.kind, molecule };
  const ours: Record<string, unknown> = { formula_step: info };
  if (step.run && step.run.length > 0) ours.steps = step.run;
  const agent = step.agent ?? options.agent;
  if (agent !== undefined && !overseerKinds.includes(step.kind)) ours.agent = agent;
  if (step.assignee !== undefined) ours.assignee = step.assignee;
  if (step.condition !== undefined) ours.condition = step.condition;
  if (step.extra) ours.formula_extra = step.extra;
  const input: NewBead = {
    prefix: options.prefix,
    title: step.title,
    issue_type: step.type,
    labels: [
      ...new Set([
        ...step.labels,
        formulaLabel(proto.formula),
        stepLabel(step.id),
        ...(overseerKinds.includes(step.kind) ? ['overseer'] : []),
      ]),
    ],
    extra: moleculeExtra(step.metadata, ours, wisp),
  };
  if (step.description) input.description = step.description;
  if (step.notes) input.notes = step.notes;
  if (step.acceptance) input.acceptance_criteria = step.acceptance;
  if (step.priority !== undefined) input.priority = step.priority;
  // A human step or gate is the Overseer's; slung steps stay unassigned so a polecat can hook them.
  if (overseerKinds.includes(step.kind)) input.assignee = 'overseer';
  if (step.delay !== undefined) {
    const at = (options.now ?? new Date()).getTime() + (durationMs(step.delay) ?? 0);
    input.defer_until = new Date(at).toISOString();
  }
  return input;
}

function flatten(
  steps: readonly ProtoStep[],
  parent: string | undefined,
): { step: ProtoStep; parent: string | undefined }[] {
  return steps.flatMap((step) => [{ step, parent }, ...flatten(step.children, step.id)]);
}
