// `gt rig remove`: forgets a rig and deletes its directory (mirror, refinery, polecat worktrees).
// The directory is first renamed aside into `.gt/tmp/`, so no half-deleted rig is ever visible
// under its name; the row goes next, and only then are the files deleted.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../db/open.js';
import { ErrorCode, GasTownError } from '../errors.js';
import { rigPaths, townTmpDir } from './paths.js';
import type { RigJournal } from './rig-store.js';
import { deleteRig, getRig } from './rig-store.js';

export async function removeRig(root: string, db: Db, name: string, journal?: RigJournal): Promise<void> {
  if (getRig(db, name) === undefined) {
    throw new GasTownError(
      ErrorCode.notFound,
      `unknown rig "${name}"; \`gt rig list\` shows the town's rigs`,
      {
        ids: { rig: name },
      },
    );
  }
  const dir = rigPaths(root, name).dir;
  await mkdir(townTmpDir(root), { recursive: true });
  const trash = await mkdtemp(join(townTmpDir(root), `removed-${name}-`));
  const aside = join(trash, name);
  const moved = existsSync(dir);
  if (moved) await rename(dir, aside);
  try {
    deleteRig(db, name, journal);
  } catch (error) {
    if (moved) await rename(aside, dir);
    await rm(trash, { recursive: true, force: true });
    throw error;
  }
  await rm(trash, { recursive: true, force: true });
}
