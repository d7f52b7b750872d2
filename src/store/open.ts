// openStore: the one way in. `{ file }` opens the SQLite town file (the default, `.gt/town.db`);
// `{ url }` a PostgreSQL server, with `${VAR}` references and PGPASSWORD filled from `env`. By
// default pending migrations are applied on open (as the SQLite file always has been), under the
// migration lock, so several processes starting at once are safe.
import { openDb } from '../db/open.js';
import { resolveStoreUrl } from './url.js';
import type { PgStoreOptions } from './postgres/store.js';
import { sqliteStore, sqliteStoreError, type SqliteStoreOptions } from './sqlite/store.js';
import type { Store } from './store.js';

export type StoreLocation = { file: string; url?: undefined } | { url: string; file?: undefined };

export interface OpenStoreOptions extends SqliteStoreOptions, PgStoreOptions {
  /** Apply pending migrations (default true); false for status and doctor, which only look. */
  migrate?: boolean;
  /** Where `${VAR}` references and PGPASSWORD come from (default process.env). */
  env?: Record<string, string | undefined>;
}

export async function openStore(location: StoreLocation, options: OpenStoreOptions = {}): Promise<Store> {
  const migrate = options.migrate ?? true;
  if (location.file !== undefined) {
    let store: Store;
    try {
      store = sqliteStore(openDb(location.file, { migrate: false }), location.file, options);
    } catch (error) {
      throw sqliteStoreError(error, location.file);
    }
    if (migrate)
      await store.migrate().catch(async (error: unknown) => {
        await store.close();
        throw error;
      });
    return store;
  }
  // Loaded on demand: a town on the SQLite file never pays for the PostgreSQL driver.
  const { pgStore } = await import('./postgres/store.js');
  const store = pgStore(resolveStoreUrl(location.url, options.env ?? process.env), options);
  try {
    if (migrate) await store.migrate();
    else await store.schema();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
