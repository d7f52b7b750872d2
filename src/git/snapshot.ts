// A plain checkout of one commit into a new directory, with no `.git` in it: what a context rig
// shows a polecat. Hardened like every other git the town runs (no hooks, no filter or smudge
// drivers, no fsmonitor); the index is a throwaway file of ours beside the directory, so the
// repository's own index and worktree records are never touched.
import { rm } from 'node:fs/promises';
import { ErrorCode, GasTownError } from '../errors.js';
import { gitAt } from './hardened.js';

/** Checks `commit` out into `dest` (which must exist and be empty). */
export async function checkoutSnapshot(gitDir: string, commit: string, dest: string): Promise<void> {
  if (commit.startsWith('-')) throw new GasTownError(ErrorCode.git, `not a commit: ${commit}`);
  const index = `${dest}.index`;
  const place = { gitDir, workTree: dest };
  const env = { GIT_INDEX_FILE: index };
  try {
    await gitAt(place, ['read-tree', `${commit}^{tree}`], { env });
    await gitAt(place, ['checkout-index', '--all', '--force'], { env });
  } finally {
    await rm(index, { force: true });
  }
}
