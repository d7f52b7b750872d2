// Opens what every process of a town shares — the database, the ledger (with redaction) and the
// bead store that records into it — so the CLI, the daemon and the MCP server see one town.
import type { BeadStore } from '../beads/index.js';
import { SqliteBeadStore } from '../beads/index.js';
import type { Db } from '../db/open.js';
import { openDb } from '../db/open.js';
import type { Redactor } from '../ledger/index.js';
import { Ledger, createRedactor } from '../ledger/index.js';
import { ledgerRecorder } from './ledger-recorder.js';
import type { TownPaths } from './paths.js';
import { townPaths } from './paths.js';

export interface TownServices {
  paths: TownPaths;
  db: Db;
  ledger: Ledger;
  beads: BeadStore;
  redactor: Redactor;
  close(): void;
}

export interface OpenTownOptions {
  /** The environment whose secret values must never reach the ledger (usually process.env). */
  env: Record<string, string | undefined>;
}

export function openTownServices(root: string, options: OpenTownOptions): TownServices {
  const paths = townPaths(root);
  const db = openDb(paths.db);
  const redactor = createRedactor({ env: options.env });
  const ledger = new Ledger(db, { redactor });
  return {
    paths,
    db,
    ledger,
    beads: new SqliteBeadStore(db, { recorder: ledgerRecorder(ledger) }),
    redactor,
    close: () => db.close(),
  };
}
