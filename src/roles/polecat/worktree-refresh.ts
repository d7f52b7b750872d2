// Before a polecat picks its bead up again (rework), its branch is brought onto the current target:
// rebased when that goes cleanly; when it conflicts, a `script` polecat starts over from the target
// (its steps are replayable), any other agent keeps its branch and resolves the conflict itself.
// The work tree is inspected first (work-tree-guard.ts): a tampered one has its work committed on
// its own branch, is put back, and the sling stops with a `security_tamper` error.
import { commitAll, gitAt, tryGitAt } from '../../git/index.js';
import type { TownServices } from '../../town/services.js';
import { polecatIdentity } from './polecat-done.js';
import type { PolecatTree } from './work-tree-guard.js';
import { answerTamper, inspectPolecatTree } from './work-tree-guard.js';

export type RefreshOutcome = 'rebased' | 'restarted' | 'kept';

const refresher = { name: 'Gas Town', email: 'refresh@gastown.invalid' };

export async function refreshWorktree(options: {
  town: TownServices;
  polecat: PolecatTree;
  target: string;
  replayable: boolean;
  actor: string;
}): Promise<RefreshOutcome> {
  const { town, polecat, target } = options;
  const inspection = await inspectPolecatTree(town, polecat);
  const { tree } = inspection;
  if (inspection.found.length > 0) {
    const saved = await commitAll({
      tree,
      branch: polecat.branch,
      author: polecatIdentity(polecat.rig, polecat.polecat),
      message: `WIP: work tree tampered with (${inspection.found.join('; ')})`,
      trailers: { 'Gas-Town-Bead': polecat.beadId },
    });
    throw await answerTamper(town, polecat, inspection, saved.commit);
  }
  // The identity is for rebased commits' committer.
  const config = ['-c', `user.name=${refresher.name}`, '-c', `user.email=${refresher.email}`];
  const env = { env: { GIT_COMMITTER_NAME: refresher.name, GIT_COMMITTER_EMAIL: refresher.email } };
  const rebase = await tryGitAt(tree, [...config, 'rebase', '--quiet', '--no-autostash', target], env);
  let outcome: RefreshOutcome = 'rebased';
  if (rebase.exitCode !== 0) {
    await tryGitAt(tree, ['rebase', '--abort']);
    if (options.replayable) {
      await gitAt(tree, ['reset', '--quiet', '--hard', target]);
      outcome = 'restarted';
    } else {
      outcome = 'kept';
    }
  }
  town.ledger.append({
    kind: 'polecat.refreshed',
    actor: options.actor,
    bead_id: polecat.beadId,
    payload: {
      target,
      outcome,
      reason:
        outcome === 'rebased'
          ? 'rebased on the current target'
          : outcome === 'restarted'
            ? 'the branch conflicted; the script starts over from the target'
            : 'the branch conflicts; the agent resolves it',
    },
  });
  return outcome;
}
