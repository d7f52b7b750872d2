// "Done" for a polecat, whatever its runtime: commit what is in the worktree on the polecat's branch
// (author `<rig>/polecats/<name>`, trailers naming the bead and the session, so git history and the
// ledger point at each other) and mark the bead ready for review. Nothing is pushed from here.
import { commitAll } from '../git/index.js';
import type { TownServices } from '../town/services.js';

export const reviewLabel = 'gt:review';
/** A bead the Witness or the Refinery sent back to its polecat. */
export const reworkLabel = 'gt:rework';

export interface CommitTarget {
  rig: string;
  polecat: string;
  bead: { id: string };
  spec: { worktree: string };
}

export function polecatIdentity(rig: string, polecat: string): { name: string; email: string } {
  return { name: `${rig}/polecats/${polecat}`, email: `${polecat}@${rig}.polecats.gastown.invalid` };
}

export async function commitPolecatWork(
  target: CommitTarget,
  sessionId: string,
  subject: string,
): Promise<string | undefined> {
  return commitAll({
    worktree: target.spec.worktree,
    author: polecatIdentity(target.rig, target.polecat),
    message: subject,
    trailers: { 'Gas-Town-Bead': target.bead.id, 'Gas-Town-Session': sessionId },
    // The worktree belongs to the sandbox user; trust exactly this one.
    config: [`safe.directory=${target.spec.worktree}`],
  });
}

export async function markReadyForReview(
  town: TownServices,
  beadId: string,
  actor: string,
  commit: string | undefined,
): Promise<void> {
  await town.beads.addLabel(beadId, reviewLabel, { actor });
  town.ledger.append({
    kind: 'polecat.done',
    actor,
    bead_id: beadId,
    payload: { commit: commit ?? null, ready_for_review: true },
  });
}
