// Before a polecat picks its bead up again (rework), its branch is brought onto the current target:
// rebased when that goes cleanly; when it conflicts, a `script` polecat starts over from the target
// (its steps are replayable), any other agent keeps its branch and resolves the conflict itself.
import { git, tryGit } from '../git/index.js';
import type { Ledger } from '../ledger/index.js';

export type RefreshOutcome = 'rebased' | 'restarted' | 'kept';

export async function refreshWorktree(options: {
  worktree: string;
  target: string;
  replayable: boolean;
  ledger: Ledger;
  actor: string;
  beadId: string;
}): Promise<RefreshOutcome> {
  const { worktree, target } = options;
  // The worktree belongs to the sandbox user; the identity is for rebased commits' committer.
  const config = [
    '-c',
    `safe.directory=${worktree}`,
    '-c',
    'user.name=Gas Town',
    '-c',
    'user.email=refresh@gastown.invalid',
  ];
  const rebase = await tryGit([...config, 'rebase', '--quiet', target], { cwd: worktree });
  let outcome: RefreshOutcome = 'rebased';
  if (rebase.exitCode !== 0) {
    await tryGit([...config, 'rebase', '--abort'], { cwd: worktree });
    if (options.replayable) {
      await git([...config, 'reset', '--quiet', '--hard', target], { cwd: worktree });
      outcome = 'restarted';
    } else {
      outcome = 'kept';
    }
  }
  options.ledger.append({
    kind: 'polecat.refreshed',
    actor: options.actor,
    bead_id: options.beadId,
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
