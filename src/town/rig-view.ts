// How a rig is shown to the outside (`gt rig list --json`, the API): the row from the database
// plus the settings only `rig.yaml` holds (merge mode) and where the rig lives on disk.
import type { Db } from '../db/open.js';
import type { MergeMode, RigConfig } from './rig-config.js';
import { loadRigConfig } from './rig-config.js';
import { rigPaths } from './paths.js';
import type { RigRow } from './rig-store.js';
import { listRigs } from './rig-store.js';

export interface RigView {
  name: string;
  prefix: string;
  git_url: string;
  branch: string;
  check: string | null;
  merge_mode: MergeMode;
  path: string;
}

export function toRigView(root: string, row: RigRow, config: Pick<RigConfig, 'merge_mode'>): RigView {
  return {
    name: row.name,
    prefix: row.prefix,
    git_url: row.git_url,
    branch: row.branch,
    check: row.check_command,
    merge_mode: config.merge_mode,
    path: rigPaths(root, row.name).dir,
  };
}

export async function rigViews(root: string, db: Db): Promise<RigView[]> {
  return Promise.all(
    listRigs(db).map(async (row) =>
      toRigView(root, row, await loadRigConfig(rigPaths(root, row.name).config)),
    ),
  );
}
