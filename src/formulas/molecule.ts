// Reading molecules back from the bead store: the root of any of its beads, every bead under it,
// and its progress (a step is done when closed; the molecule is finished when every step is).
import type { Bead, BeadStore } from '../beads/index.js';
import { finishedStatuses, Status } from '../beads/model.js';
import { ErrorCode, GasTownError, notFound } from '../errors.js';
import type { MoleculeInfo, StepInfo } from './molecule-meta.js';
import { isEphemeral, moleculeInfo, moleculeLabel, stepInfo } from './molecule-meta.js';
import { overseerKinds } from './pour.js';

export interface MoleculeStep {
  bead: Bead;
  step: StepInfo;
  /** Closed; waiting for the Overseer; slung or being worked; ready; or blocked by its needs. */
  state: 'done' | 'overseer' | 'working' | 'ready' | 'waiting';
}

export interface Molecule {
  root: Bead;
  info: MoleculeInfo;
  wisp: boolean;
  /** Every step bead (containers included), in id order. */
  steps: MoleculeStep[];
  /** Steps that are work (containers excluded). */
  total: number;
  done: number;
  finished: boolean;
}

/** The molecule a bead belongs to (the root itself, or any bead poured under it). */
export async function loadMolecule(beads: BeadStore, id: string): Promise<Molecule> {
  const bead = await beads.require(id);
  const rootId = moleculeInfo(bead) ? bead.id : stepInfo(bead)?.molecule;
  if (rootId === undefined)
    throw new GasTownError(
      ErrorCode.invalidInput,
      `bead ${id} is not part of a molecule (no formula metadata)`,
      { ids: { bead: id } },
    );
  const root = rootId === id ? bead : await beads.get(rootId);
  if (!root) throw notFound('molecule', rootId);
  const info = moleculeInfo(root);
  if (!info)
    throw new GasTownError(ErrorCode.invalidInput, `bead ${rootId} is not a molecule`, {
      ids: { bead: rootId },
    });
  const ready = new Set((await beads.ready()).map((b) => b.id));
  const steps: MoleculeStep[] = [];
  for (const member of await descendants(beads, root.id)) {
    const step = stepInfo(member);
    if (step) steps.push({ bead: member, step, state: stateOf(member, step, ready) });
  }
  steps.sort((a, b) => a.bead.id.localeCompare(b.bead.id, 'en', { numeric: true }));
  const work = steps.filter((s) => s.step.kind !== 'container');
  const done = work.filter((s) => s.state === 'done').length;
  return {
    root,
    info,
    wisp: isEphemeral(root),
    steps,
    total: work.length,
    done,
    finished: done === work.length,
  };
}

export async function listMolecules(beads: BeadStore): Promise<Bead[]> {
  return (await beads.list({ labels: [moleculeLabel], all: true })).filter(
    (b) => moleculeInfo(b) !== undefined,
  );
}

/** Every bead under `id` through parent-child edges, closed ones too. */
export async function descendants(beads: BeadStore, id: string): Promise<Bead[]> {
  const found: Bead[] = [];
  const queue = [id];
  while (queue.length > 0) {
    const children = await beads.list({ parent: queue.shift()!, all: true });
    found.push(...children);
    queue.push(...children.map((c) => c.id));
  }
  return found;
}

function stateOf(bead: Bead, step: StepInfo, ready: ReadonlySet<string>): MoleculeStep['state'] {
  if (finishedStatuses.includes(bead.status)) return 'done';
  if (overseerKinds.includes(step.kind)) return ready.has(bead.id) ? 'overseer' : 'waiting';
  if (bead.status === Status.inProgress || bead.status === Status.hooked) return 'working';
  return ready.has(bead.id) ? 'ready' : 'waiting';
}
