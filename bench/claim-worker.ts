// One claimant in the claim race, run as its own process: `claim-worker.js <db file> <name>`.
// It opens the town database, says it is ready, and on `go` claims until nothing is ready:
// take the 20 best ready beads, try to claim one of them at random, count wins and lost races.
import { SqliteBeadStore } from '../src/beads/index.js';
import { openDb } from '../src/db/open.js';
import { ErrorCode, GasTownError } from '../src/errors.js';
import type { WorkerDone, WorkerMessage } from './claim-protocol.js';
import { goMessage } from './claim-protocol.js';

const [file, name] = process.argv.slice(2);
if (file === undefined || name === undefined || !process.send) {
  process.stderr.write('usage: claim-worker.js <db file> <name> (forked, with an IPC channel)\n');
  process.exit(2);
}

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

async function race(store: SqliteBeadStore, claimant: string): Promise<WorkerDone> {
  const done: WorkerDone = { kind: 'done', claimed: [], lost: 0, busy: 0 };
  for (;;) {
    const batch = await store.ready({ limit: 20, sort: 'priority' });
    if (batch.length === 0) return done;
    const bead = batch[Math.floor(Math.random() * batch.length)]!;
    try {
      await store.claim(bead.id, claimant, { actor: claimant });
      done.claimed.push(bead.id);
    } catch (error) {
      if (!(error instanceof GasTownError)) throw error;
      if (error.code === ErrorCode.alreadyClaimed) done.lost++;
      else if (error.retryable) done.busy++;
      else throw error;
    }
  }
}

const db = openDb(file);
const store = new SqliteBeadStore(db);
process.once('message', (raw: unknown) => {
  goMessage.parse(raw);
  race(store, name)
    .catch((error: unknown) => ({ kind: 'failed', message: String(error) }) as const)
    .then(async (result) => {
      db.close();
      await send(result);
      process.disconnect();
    })
    .catch((error: unknown) => {
      process.stderr.write(`claim-worker ${name}: ${String(error)}\n`);
      process.exit(1);
    });
});
await send({ kind: 'ready' });
