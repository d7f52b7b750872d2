// The contract-suite pattern for the store: one suite body, run against both backends — SQLite on a
// temp town file and PostgreSQL on a fresh database of the shared test server. Each `open()` gives
// a new, empty, migrated store; `reopen(store)` a second Store on the same data with connections of
// its own (what another process would hold). Everything opened is closed, and every database
// dropped, after each test.
//
//   describeBothStores('mail repository', (stores) => {
//     it('delivers', async () => {
//       const store = await stores.open();
//       await store.transaction(async (tx) => …);
//     });
//   });
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe } from 'vitest';
import { openStore, type OpenStoreOptions, type StoreLocation } from '../../src/store/open.js';
import type { Dialect } from '../../src/store/sql.js';
import type { Store } from '../../src/store/store.js';
import { freshDatabase, type TestDatabase } from './postgres.js';

export interface StoreFixture {
  readonly kind: Dialect;
  /** A new store on empty data of its own (migrated unless `migrate: false`). */
  open(options?: OpenStoreOptions): Promise<Store>;
  /** Another Store, with its own connections, on the data `store` was opened on. */
  reopen(store: Store, options?: OpenStoreOptions): Promise<Store>;
  /** Where `store` lives, as `openStore` takes it (a PostgreSQL URL carries no password here). */
  location(store: Store): StoreLocation;
  /** A location with no store yet (a new temp file or a fresh database), for tests that open it themselves. */
  blank(): Promise<StoreLocation>;
}

export const storeKinds: readonly Dialect[] = ['sqlite', 'postgres'];

/** Runs `suite` once per backend, inside `describe('<name> [<kind>]')`. */
export function describeBothStores(name: string, suite: (stores: StoreFixture) => void): void {
  for (const kind of storeKinds) {
    describe(`${name} [${kind}]`, () => {
      const fixture = storeFixture(kind);
      afterEach(() => fixture.cleanup());
      suite(fixture);
    });
  }
}

/** One backend's fixture, for suites that need only one; call `cleanup()` after each test. */
export function storeFixture(kind: Dialect): StoreFixture & { cleanup(): Promise<void> } {
  const opened: Store[] = [];
  const databases: TestDatabase[] = [];
  const dirs: string[] = [];
  const locations = new Map<Store, StoreLocation>();
  const blank = async (): Promise<StoreLocation> => {
    if (kind === 'sqlite') {
      const dir = await realpath(await mkdtemp(join(tmpdir(), 'gt-store-')));
      dirs.push(dir);
      return { file: join(dir, 'town.db') };
    }
    const db = await freshDatabase('store');
    databases.push(db);
    return { url: db.url };
  };
  const openAt = async (location: StoreLocation, options?: OpenStoreOptions): Promise<Store> => {
    const store = await openStore(location, { pollMs: 20, ...options });
    opened.push(store);
    locations.set(store, location);
    return store;
  };
  const location = (store: Store): StoreLocation => {
    const where = locations.get(store);
    if (where === undefined) throw new Error('this store was not opened by the fixture');
    return where;
  };
  return {
    kind,
    blank,
    open: async (options) => openAt(await blank(), options),
    reopen: (store, options) => openAt(location(store), options),
    location,
    async cleanup() {
      for (const store of opened.splice(0).reverse()) await store.close().catch(() => undefined);
      locations.clear();
      for (const db of databases.splice(0)) await db.drop();
      for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
    },
  };
}
