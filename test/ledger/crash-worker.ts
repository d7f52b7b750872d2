// Child process for the crash test: creates beads (each with its ledger event) in batches until
// killed, printing the number of committed batches so the parent knows when to pull the plug.
import { SqliteBeadStore } from '../../src/beads/index.js';
import { openDb } from '../../src/db/open.js';
import { Ledger } from '../../src/ledger/ledger.js';

const db = openDb(process.argv[2]!);
const ledger = new Ledger(db);
const store = new SqliteBeadStore(db, {
  recorder: (change) =>
    ledger.append({
      kind: change.kind,
      actor: change.actor,
      ts: change.at,
      payload: change.payload,
      ...(change.bead_id ? { bead_id: change.bead_id } : {}),
    }),
});
for (let batch = 1; ; batch++) {
  for (let i = 0; i < 50; i++)
    await store.create({ prefix: 'gt', title: `batch ${batch} bead ${i}` }, { actor: 'worker' });
  process.stdout.write(`batch ${batch}\n`);
}
