// Formulas in a town: where they are looked up (the rig's `.beads/formulas/` in its refinery
// worktree — the reviewed target branch, never a polecat's — the town's `formulas/`, the built-ins),
// pouring a proto into a molecule, and `gt formula run`: pour, group the steps in a convoy and
// launch it, all in one transaction with its ledger events, so a failure leaves the town as it was.
import { hqPrefix } from '../../beads/index.js';
import { writeTxAsync } from '../../db/open.js';
import { invalidInput, notFound } from '../../errors.js';
import type { CookOptions, FormulaDir, PouredMolecule, Proto } from '../../formulas/index.js';
import { cook, formulaPath, loadFormula, overseerKinds, pour, protoSteps } from '../../formulas/index.js';
import { agentNames, getRig, listRigs, rigPaths } from '../../town/index.js';
import type { TownServices } from '../../town/services.js';
import type { Convoy } from './convoy.js';
import { createConvoy, requireConvoy } from './convoy.js';
import { markConvoyLaunched } from './convoy-dispatch.js';

export function townFormulaPath(root: string, rig?: string): FormulaDir[] {
  return formulaPath({
    townDir: root,
    ...(rig === undefined ? {} : { rigDir: rigPaths(root, rig).refinery }),
  });
}

export interface PourRequest {
  proto: Proto;
  actor: string;
  /** The rig whose prefix the beads get (default: town-level `hq`). */
  rig?: string;
  wisp?: boolean;
  agent?: string;
}

/** Pours a proto in one transaction, with its `molecule.poured` event. */
export async function pourMolecule(town: TownServices, request: PourRequest): Promise<PouredMolecule> {
  const prefix = request.rig === undefined ? hqPrefix : requireRigPrefix(town, request.rig);
  checkAgents(request.proto, request.agent);
  return writeTxAsync(town.db, async () => {
    const poured = await pour(town.beads, request.proto, {
      prefix,
      actor: request.actor,
      ...(request.wisp ? { wisp: true } : {}),
      ...(request.agent === undefined ? {} : { agent: request.agent }),
    });
    town.ledger.append({
      kind: 'molecule.poured',
      actor: request.actor,
      bead_id: poured.root.id,
      payload: moleculePayload(request.proto, poured, request.wisp === true),
    });
    return poured;
  });
}

export interface RunRequest extends Omit<CookOptions, 'strict'> {
  name: string;
  actor: string;
  rig?: string;
  agent?: string;
}

export interface RunResult {
  proto: Proto;
  molecule: PouredMolecule;
  convoy: Convoy;
}

/** `gt formula run`: cook strictly, pour, make the convoy of its steps and launch it — all or nothing. */
export async function runFormula(town: TownServices, root: string, request: RunRequest): Promise<RunResult> {
  const rig = request.rig ?? onlyRig(town);
  const prefix = requireRigPrefix(town, rig);
  const formula = loadFormula(townFormulaPath(root, rig), request.name);
  const { name: _name, actor, rig: _rig, agent, ...options } = request;
  const proto = cook(formula, { ...options, strict: true });
  checkAgents(proto, agent);
  return writeTxAsync(town.db, async () => {
    const molecule = await pour(town.beads, proto, {
      prefix,
      actor,
      ...(agent === undefined ? {} : { agent }),
    });
    const members = molecule.steps.filter((s) => s.kind !== 'container').map((s) => s.bead);
    const made = await createConvoy(
      town,
      {
        name: `${proto.formula} (${molecule.root.id})`,
        beads: members,
        rigFor: Object.fromEntries(members.map((id) => [id, rig])),
      },
      actor,
    );
    town.ledger.append({
      kind: 'formula.run',
      actor,
      bead_id: molecule.root.id,
      payload: { ...moleculePayload(proto, molecule, false), convoy: made.convoy.id, rig },
    });
    markConvoyLaunched(town, made.convoy.id, actor);
    return { proto, molecule, convoy: requireConvoy(town.db, made.convoy.id) };
  });
}

function moleculePayload(proto: Proto, poured: PouredMolecule, wisp: boolean): Record<string, unknown> {
  return {
    formula: proto.formula,
    source: proto.source,
    vars: proto.vars,
    wisp,
    steps: poured.steps.map((s) => ({ step: s.step, bead: s.bead, kind: s.kind })),
    ...(proto.warnings.length > 0 ? { warnings: proto.warnings } : {}),
  };
}

function checkAgents(proto: Proto, agent: string | undefined): void {
  const known: readonly string[] = agentNames;
  for (const name of [
    agent,
    ...protoSteps(proto.steps)
      .filter((s) => !overseerKinds.includes(s.kind))
      .map((s) => s.agent),
  ]) {
    if (name !== undefined && !known.includes(name))
      throw invalidInput(`${proto.formula}: no agent named ${name} (agents: ${known.join(', ')})`);
  }
}

function requireRigPrefix(town: TownServices, rig: string): string {
  const row = getRig(town.db, rig);
  if (!row) throw notFound('rig', rig);
  return row.prefix;
}

function onlyRig(town: TownServices): string {
  const rigs = listRigs(town.db);
  if (rigs.length === 1) return rigs[0]!.name;
  throw invalidInput(
    `--rig: name the rig to run in (${rigs.length === 0 ? 'this town has no rig yet' : `rigs: ${rigs.map((r) => r.name).join(', ')}`})`,
  );
}
