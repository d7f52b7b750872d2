// Before host-side git touches a polecat's work: is its work tree still what the town made? The
// `.git` entry must be the file git wrote (a polecat rewriting it could point our git at another
// repository, branch or hook), and HEAD must name the branch the town assigned
// (`polecat/<name>/<bead>`, from the town's state, never from the work tree). What is found wrong is
// answered, not ignored: the work is committed by the hardened git onto the polecat's own branch,
// the pointer and HEAD are put back (so the bead can be slung again), and `security.tamper` goes
// into the ledger. The caller fails the session.
import { ErrorCode, GasTownError } from '../../errors.js';
import type { WorkTree } from '../../git/index.js';
import { checkPointer, gitAt, requireWorkTree, restorePointer, tryGitAt } from '../../git/index.js';
import { rigPaths } from '../../town/index.js';
import type { TownServices } from '../../town/services.js';

export interface PolecatTree {
  rig: string;
  polecat: string;
  beadId: string;
  worktree: string;
  /** The branch the town assigned, without `refs/heads/`. */
  branch: string;
}

export interface Inspection {
  tree: WorkTree;
  /** What is wrong, one line each; empty when nothing is. */
  found: string[];
  pointerOk: boolean;
  headOk: boolean;
}

/** The branch the town gives a polecat for a bead. */
export function polecatBranch(polecat: string, beadId: string): string {
  return `polecat/${polecat}/${beadId}`;
}

export async function inspectPolecatTree(town: TownServices, target: PolecatTree): Promise<Inspection> {
  const repo = rigPaths(town.paths.root, target.rig).repo;
  const tree = await requireWorkTree(repo, target.worktree);
  const found: string[] = [];
  const pointer = await checkPointer(tree);
  if (!pointer.ok) found.push(pointer.found);
  const head = await tryGitAt(tree, ['symbolic-ref', '--quiet', 'HEAD']);
  const named = head.stdout.trim();
  const headOk = head.exitCode === 0 && named === `refs/heads/${target.branch}`;
  if (!headOk) found.push(`HEAD names ${named === '' ? 'no branch' : named.slice(0, 200)}`);
  return { tree, found, pointerOk: pointer.ok, headOk };
}

/**
 * Puts back what `inspection` found changed and records it; `commit` is where the work was kept.
 * Returns the typed error the caller reports (never retryable: the same work tree would do it again).
 */
export async function answerTamper(
  town: TownServices,
  target: PolecatTree,
  inspection: Inspection,
  commit: string | undefined,
  sessionId?: string,
): Promise<GasTownError> {
  if (!inspection.headOk) {
    await gitAt(inspection.tree, ['symbolic-ref', 'HEAD', `refs/heads/${target.branch}`]);
  }
  if (!inspection.pointerOk) await restorePointer(inspection.tree);
  const what = inspection.found.join('; ');
  town.ledger.append({
    kind: 'security.tamper',
    actor: 'town',
    bead_id: target.beadId,
    ...(sessionId === undefined ? {} : { session_id: sessionId }),
    payload: {
      rig: target.rig,
      polecat: target.polecat,
      bead: target.beadId,
      branch: target.branch,
      found: inspection.found,
      commit: commit ?? null,
      restored: true,
    },
  });
  return new GasTownError(
    ErrorCode.tamper,
    `the work tree of ${target.rig}/polecats/${target.polecat} was tampered with (${what}); its work is kept on ${target.branch}${commit ? ` (${commit.slice(0, 12)})` : ''} and the work tree put back`,
    { retryable: false, ids: { rig: target.rig, polecat: target.polecat, bead: target.beadId } },
  );
}
