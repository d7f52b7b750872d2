// Where things live inside a town (DESIGN.md §4). Pure path arithmetic: nothing here touches disk.
import { join } from 'node:path';

export interface TownPaths {
  root: string;
  /** `town.yaml` */
  config: string;
  /** `.gt/`, private to the town (mode 0700) */
  gtDir: string;
  /** `.gt/town.db`, the control plane */
  db: string;
  /** `.gt/keys/`, the ledger's signing key */
  keys: string;
  /** `mayor/`, the mayor's workspace */
  mayor: string;
}

export function townPaths(root: string): TownPaths {
  const gtDir = join(root, '.gt');
  return {
    root,
    config: join(root, 'town.yaml'),
    gtDir,
    db: join(gtDir, 'town.db'),
    keys: join(gtDir, 'keys'),
    mayor: join(root, 'mayor'),
  };
}

/** Scratch space on the town's own filesystem, so staged work can be renamed into place. */
export function townTmpDir(root: string): string {
  return join(townPaths(root).gtDir, 'tmp');
}

export interface RigPaths {
  dir: string;
  /** `<rig>/rig.yaml` */
  config: string;
  /** `<rig>/repo.git`, the bare mirror */
  repo: string;
  /** `<rig>/refinery/`, the refinery's worktree on the target branch */
  refinery: string;
  /** `<rig>/polecats/`, one worktree per polecat below it */
  polecats: string;
}

export function rigPaths(root: string, name: string): RigPaths {
  const dir = join(root, name);
  return {
    dir,
    config: join(dir, 'rig.yaml'),
    repo: join(dir, 'repo.git'),
    refinery: join(dir, 'refinery'),
    polecats: join(dir, 'polecats'),
  };
}
