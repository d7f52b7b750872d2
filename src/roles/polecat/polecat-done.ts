// "Done" for a polecat, whatever its runtime: commit what is in the worktree on the polecat's branch
// (author `<rig>/polecats/<name>`, trailers naming the bead and the session, so git history and the
// ledger point at each other) and mark the bead ready for review. Nothing is pushed from here. The
// commit runs the hardened git on the branch the town assigned; a tampered work tree is answered
// first (work-tree-guard.ts) and the caller fails the session.
import type { GasTownError } from '../../errors.js';
import { commitAll } from '../../git/index.js';
import type { TownServices } from '../../town/services.js';
import { answerTamper, inspectPolecatTree } from './work-tree-guard.js';

export const reviewLabel = 'gt:review';
/** A bead the Witness or the Refinery sent back to its polecat. */
export const reworkLabel = 'gt:rework';

export interface CommitTarget {
  rig: string;
  polecat: string;
  bead: { id: string };
  spec: { worktree: string };
  /** The branch the town assigned (`polecat/<name>/<bead>`), from its own records. */
  branch: string;
}

export interface SavedWork {
  commit: string | undefined;
  /** Set when the work tree was tampered with: the session must fail with this. */
  tamper?: GasTownError;
}

export function polecatIdentity(rig: string, polecat: string): { name: string; email: string } {
  return { name: `${rig}/polecats/${polecat}`, email: `${polecat}@${rig}.polecats.gastown.invalid` };
}

export async function commitPolecatWork(
  town: TownServices,
  target: CommitTarget,
  sessionId: string,
  subject: string,
): Promise<SavedWork> {
  const where = {
    rig: target.rig,
    polecat: target.polecat,
    beadId: target.bead.id,
    worktree: target.spec.worktree,
    branch: target.branch,
  };
  const inspection = await inspectPolecatTree(town, where);
  const tampered = inspection.found.length > 0;
  const saved = await commitAll({
    tree: inspection.tree,
    branch: target.branch,
    author: polecatIdentity(target.rig, target.polecat),
    message: tampered ? `WIP: work tree tampered with (${inspection.found.join('; ')})` : subject,
    trailers: { 'Gas-Town-Bead': target.bead.id, 'Gas-Town-Session': sessionId },
  });
  if (saved.nestedRepos.length > 0) {
    town.ledger.append({
      kind: 'security.nested_repo',
      actor: 'town',
      bead_id: target.bead.id,
      session_id: sessionId,
      payload: { rig: target.rig, polecat: target.polecat, paths: saved.nestedRepos.slice(0, 50) },
    });
  }
  if (!tampered) return { commit: saved.commit };
  const tamper = await answerTamper(town, where, inspection, saved.commit, sessionId);
  return { commit: saved.commit, tamper };
}

export async function markReadyForReview(
  town: TownServices,
  done: { beadId: string; rig: string; polecat: string; commit: string | undefined },
): Promise<void> {
  const actor = `${done.rig}/polecats/${done.polecat}`;
  await town.beads.addLabel(done.beadId, reviewLabel, { actor });
  // `rig` and `polecat` as fields: the daemon wakes the rig's Witness from them, not from the actor.
  town.ledger.append({
    kind: 'polecat.done',
    actor,
    bead_id: done.beadId,
    payload: { commit: done.commit ?? null, ready_for_review: true, rig: done.rig, polecat: done.polecat },
  });
}
