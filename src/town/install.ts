// `gt install`: makes a directory into a town — town.yaml, a private `.gt/` holding the migrated
// town.db, and the mayor's workspace. It refuses to install over a town, and on failure removes
// whatever it created, leaving an existing directory as it found it.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { openDb } from '../db/open.js';
import { ErrorCode, GasTownError, invalidInput } from '../errors.js';
import { townConfigSchema, writeNewTownConfig } from './config.js';
import { Ledger, createTownKey } from '../ledger/index.js';
import type { TownPaths } from './paths.js';
import { townPaths } from './paths.js';
import { messageOf, parseWith } from './yaml-file.js';

export interface InstallOptions {
  /** The town's name; default: the directory's name. */
  name?: string;
  /** Who installs the town, named in the ledger's first event. */
  actor?: string;
}

/** Creates a town in `dir` (made if missing) and returns its absolute root. */
export async function installTown(dir: string, opts: InstallOptions = {}): Promise<string> {
  const root = resolve(dir);
  const paths = townPaths(root);
  const config = parseWith(townConfigSchema, { name: opts.name ?? defaultName(root) }, 'town name');
  if (existsSync(paths.config) || existsSync(paths.gtDir)) {
    throw new GasTownError(
      ErrorCode.conflict,
      `a Gas Town already exists at ${root} (town.yaml or .gt/ is there)`,
      {
        ids: { dir: root },
      },
    );
  }
  if (existsSync(root) && !statSync(root).isDirectory())
    throw invalidInput(`${root} exists and is not a directory`);

  const created: string[] = [];
  try {
    const firstMade = await mkdir(root, { recursive: true });
    if (firstMade !== undefined) created.push(firstMade);
    await mkdir(paths.gtDir, { mode: 0o700 });
    created.push(paths.gtDir);
    await chmod(paths.gtDir, 0o700); // mkdir's mode is filtered by the umask
    recordGenesis(paths, config.name, opts.actor ?? 'overseer');
    if (!existsSync(paths.mayor)) {
      await mkdir(paths.mayor);
      created.push(paths.mayor);
    }
    // Written last: a directory only counts as a town once town.yaml sits next to .gt/.
    await writeNewTownConfig(root, config);
  } catch (error) {
    for (const path of created.reverse()) await rm(path, { recursive: true, force: true });
    if (error instanceof GasTownError) throw error;
    const code = isExists(error) ? ErrorCode.conflict : ErrorCode.io;
    throw new GasTownError(code, `cannot install a town in ${root}: ${messageOf(error)}`, {
      ids: { dir: root },
      cause: error,
    });
  }
  return realpathSync(root);
}

/**
 * Creates the town's ledger key and the ledger's first event, which names that key: a key
 * swapped in later cannot pass verification without rewriting the whole chain.
 */
function recordGenesis(paths: TownPaths, name: string, actor: string): void {
  const db = openDb(paths.db);
  try {
    const key = createTownKey(paths.keys);
    new Ledger(db).append({
      kind: 'town.installed',
      actor,
      payload: { name, key_id: key.keyId, public_key: key.publicPem },
    });
  } finally {
    db.close();
  }
}

function defaultName(root: string): string {
  return basename(root) || 'town';
}

function isExists(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'EEXIST';
}
