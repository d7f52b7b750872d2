// The ledger repository's suites run on both backends through store-core's fixture: a migrated
// SQLite town file or a migrated fresh PostgreSQL database (test/support/both-stores.ts). `raw` runs
// SQL past the repository, as an attacker with database access would; `location` is where a child
// process finds the same store.
import type { Store } from '../../src/store/store.js';
import type { SqlRunner, SqlValue } from '../../src/store/sql.js';
import type { StoreLocation } from '../../src/store/open.js';
import { storeFixture } from '../support/both-stores.js';

export const backends = ['sqlite', 'postgres'] as const;
export type Backend = (typeof backends)[number];

export interface LedgerBackend {
  kind: Backend;
  store: Store;
  source: Store['source'];
  location: StoreLocation;
  /** The SQLite file or the database URL. */
  where: string;
  raw: SqlRunner;
  close(): Promise<void>;
}

export async function openLedgerBackend(kind: Backend, extraDdl = ''): Promise<LedgerBackend> {
  const fixture = storeFixture(kind);
  const store = await fixture.open();
  if (extraDdl) await store.source.transaction((sql) => sql.exec(extraDdl));
  const location = fixture.location(store);
  const each = <T>(fn: (sql: SqlRunner) => Promise<T>) => store.source.transaction(fn);
  const raw: SqlRunner = {
    dialect: kind,
    all: <R>(text: string, params?: readonly SqlValue[]) => each((sql) => sql.all<R>(text, params)),
    get: <R>(text: string, params?: readonly SqlValue[]) => each((sql) => sql.get<R>(text, params)),
    run: (text: string, params?: readonly SqlValue[]) => each((sql) => sql.run(text, params)),
    exec: (text: string) => each((sql) => sql.exec(text)),
  };
  return {
    kind,
    store,
    source: store.source,
    location,
    where: location.file ?? location.url ?? '',
    raw,
    close: () => fixture.cleanup(),
  };
}
