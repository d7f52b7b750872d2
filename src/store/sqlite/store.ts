// The Store over the town's SQLite file (the embedded default, `.gt/town.db`): transactions from
// sqliteSource, raising the in-process commit signal the event tail listens to; the schema and its
// migrations are src/db/migrations.ts (PRAGMA user_version).
import { migrate, migrations, schemaVersion } from '../../db/migrations.js';
import type { Db } from '../../db/open.js';
import { ErrorCode, GasTownError } from '../../errors.js';
import type { SqlRunner, TxOptions, TxSource } from '../sql.js';
import { unitOfWork, type MigrationReport, type Store } from '../store.js';
import { signalCommit, sqliteTail, type SqliteTailOptions } from './events.js';
import { sqliteSource } from './connection.js';

export interface SqliteStoreOptions extends SqliteTailOptions {
  /** Close `db` when the store closes (default true). */
  ownsDb?: boolean;
}

const latest = (): number => migrations.at(-1)?.version ?? 0;

export function sqliteStore(db: Db, file: string, options: SqliteStoreOptions = {}): Store {
  const inner = sqliteSource(db);
  const source: TxSource = {
    dialect: 'sqlite',
    async transaction<T>(fn: (sql: SqlRunner) => Promise<T>, txOptions?: TxOptions): Promise<T> {
      const result = await inner.transaction(fn, txOptions);
      signalCommit(file);
      return result;
    },
    read: (fn) => inner.read(fn),
  };
  const events = sqliteTail(file, options);
  return {
    kind: 'sqlite',
    where: file,
    source,
    events,
    transaction: (fn, txOptions) => unitOfWork(source, fn, txOptions),
    schema: () => Promise.resolve({ version: schemaVersion(db), latest: latest() }),
    migrate(): Promise<MigrationReport> {
      const from = schemaVersion(db);
      try {
        migrate(db);
      } catch (error) {
        return Promise.reject(sqliteStoreError(error, file));
      }
      const to = schemaVersion(db);
      const applied = migrations.filter((m) => m.version > from && m.version <= to).map((m) => m.version);
      return Promise.resolve({ from, to, applied });
    },
    close() {
      events.close();
      if (options.ownsDb ?? true) db.close();
      return Promise.resolve();
    },
  };
}

export function sqliteStoreError(error: unknown, file: string): GasTownError {
  if (error instanceof GasTownError) return error;
  return new GasTownError(ErrorCode.store, `SQLite at ${file}: ${(error as Error).message}`, {
    cause: error,
  });
}
