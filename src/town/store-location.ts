// Which store a town uses: the PostgreSQL server `store.url` in town.yaml names, else the SQLite
// file `.gt/town.db` (the default). The URL is passed on as written; openStore fills the password
// from the environment, in memory only.
import { openStore, type OpenStoreOptions, type StoreLocation } from '../store/open.js';
import type { Store } from '../store/store.js';
import { loadTownConfig, type TownConfig } from './config.js';
import { townPaths } from './paths.js';

export function storeLocationOf(root: string, config: Pick<TownConfig, 'store'>): StoreLocation {
  const url = config.store?.url;
  return url === undefined ? { file: townPaths(root).db } : { url };
}

/** Opens the town's configured store (migrating unless `migrate: false`). */
export async function openTownStore(root: string, options: OpenStoreOptions = {}): Promise<Store> {
  return openStore(storeLocationOf(root, await loadTownConfig(root)), options);
}
