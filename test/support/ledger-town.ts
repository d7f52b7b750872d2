// A minimal ledger on a real SQLite file with a real town key: the genesis event names the key,
// as `gt install` does, so tamper tests can rewrite rows with plain SQL and verify afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../src/db/open.js';
import { openDb } from '../../src/db/open.js';
import type { TownKey } from '../../src/ledger/index.js';
import { Ledger, createTownKey, verifyDatabase } from '../../src/ledger/index.js';

export interface LedgerTown {
  dir: string;
  db: Db;
  ledger: Ledger;
  key: TownKey;
  verify: () => ReturnType<typeof verifyDatabase>;
  cleanup: () => void;
}

export function makeLedgerTown(events = 0): LedgerTown {
  const dir = mkdtempSync(join(tmpdir(), 'gt-ledger-'));
  const db = openDb(join(dir, 'town.db'));
  const key = createTownKey(join(dir, 'keys'));
  const ledger = new Ledger(db);
  ledger.append({
    kind: 'town.installed',
    actor: 'overseer',
    payload: { key_id: key.keyId, public_key: key.publicPem },
  });
  for (let i = 1; i <= events; i++) {
    ledger.append({
      kind: 'test.event',
      actor: 'overseer',
      bead_id: `gt-b${i % 3}`,
      payload: { n: i, text: `event ${i}` },
    });
  }
  return {
    dir,
    db,
    ledger,
    key,
    verify: () => verifyDatabase(db, key.publicKey),
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
