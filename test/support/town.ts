// Temporary towns for tests, made in-process with `installTown`, and a peek at their rigs table.
import { join } from 'node:path';
import { openDb } from '../../src/db/open.js';
import { installTown, listRigs } from '../../src/town/index.js';
import type { RigRow } from '../../src/town/index.js';
import { makeTempDir } from './temp.js';

/** A fresh town at `<tmp>/town`; its parent is free for remotes and other scratch. */
export async function makeTown(name = 'testtown'): Promise<{ root: string; scratch: string }> {
  const scratch = await makeTempDir('gt-town');
  const root = await installTown(join(scratch, 'town'), { name });
  return { root, scratch };
}

export function rigRows(root: string): RigRow[] {
  const db = openDb(join(root, '.gt', 'town.db'));
  try {
    return listRigs(db);
  } finally {
    db.close();
  }
}
