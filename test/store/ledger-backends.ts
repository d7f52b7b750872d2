// The ledger repository's suites run on both backends: a fresh SQLite town file (the town's own
// migrations) or a fresh PostgreSQL database (the ledger's schema module). `raw` runs SQL past the
// repository, as an attacker with database access would. To be replaced by store-core's shared
// both-backends helper once it lands.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/db/open.js';
import { openPool, poolSource, runnerFor } from '../../src/store/postgres/connection.js';
import { ledgerDdl } from '../../src/store/postgres/schema/ledger.js';
import { sqliteRunner, sqliteSource } from '../../src/store/sqlite/connection.js';
import type { SqlRunner, TxSource } from '../../src/store/sql.js';
import { freshDatabase } from '../support/postgres.js';

export const backends = ['sqlite', 'postgres'] as const;
export type Backend = (typeof backends)[number];

export interface LedgerBackend {
  kind: Backend;
  source: TxSource;
  /** Where a child process finds the same store: the SQLite file or the database URL. */
  location: string;
  raw: SqlRunner;
  close(): Promise<void>;
}

export async function openLedgerBackend(kind: Backend, extraDdl = ''): Promise<LedgerBackend> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gt-ledger-repo-'));
    const file = join(dir, 'town.db');
    const db = openDb(file);
    if (extraDdl) db.exec(extraDdl);
    return {
      kind,
      source: sqliteSource(db),
      location: file,
      raw: sqliteRunner(db),
      close: () => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  const database = await freshDatabase('ledger');
  const pool = openPool({ url: database.url, max: 4 });
  await pool.query(ledgerDdl + extraDdl);
  const client = await pool.connect();
  return {
    kind,
    source: poolSource(pool),
    location: database.url,
    raw: runnerFor(client),
    close: async () => {
      client.release();
      await pool.end();
      await database.drop();
    },
  };
}
