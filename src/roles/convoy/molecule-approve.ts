// The Overseer approving a molecule's human step (or a gate that waits for a person): the same
// close as `gt bd close <id>` by the Overseer, refused for any bead that is not such a step or
// whose needs are not closed yet — so a click can never skip ahead of the work it waits for.
import { ErrorCode, GasTownError } from '../../errors.js';
import { loadMolecule } from '../../formulas/index.js';
import type { Bead } from '../../beads/index.js';
import type { TownServices } from '../../town/services.js';

export async function approveMoleculeStep(
  town: TownServices,
  beadId: string,
  actor: string,
  reason?: string,
): Promise<Bead> {
  const molecule = await loadMolecule(town.beads, beadId);
  const step = molecule.steps.find((s) => s.bead.id === beadId);
  const refuse = (why: string): GasTownError =>
    new GasTownError(ErrorCode.conflict, `bead ${beadId}: ${why}`, { ids: { bead: beadId } });
  if (!step) throw refuse(`the root of molecule ${molecule.root.id} is not a step to approve`);
  if (step.step.kind !== 'human' && step.step.kind !== 'gate')
    throw refuse(`step ${step.step.id} is ${step.step.kind} work, not a step that waits for the Overseer`);
  if (step.state === 'done') throw refuse(`step ${step.step.id} is already closed`);
  if (step.state !== 'overseer') throw refuse(`step ${step.step.id} still waits for the steps it needs`);
  return town.beads.close(beadId, reason ?? `approved by the Overseer (${step.step.id})`, { actor });
}
