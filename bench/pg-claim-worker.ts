// One claimant in the PostgreSQL claim race, run as its own process:
// `pg-claim-worker.js <url> <name> <mode>`. It opens its own pool, says it is ready, and on `go`
// claims until nothing is ready — `ready-claim`: take the 20 best ready beads and claim one at
// random (the interface every backend has); `claim-next`: one `FOR UPDATE SKIP LOCKED` statement.
import { ErrorCode, GasTownError } from '../src/errors.js';
import { openPool, poolSource } from '../src/store/index.js';
import { PostgresBeadStore } from '../src/store/postgres/beads/index.js';
import type { WorkerDone, WorkerMessage } from './claim-protocol.js';
import { goMessage } from './claim-protocol.js';

const [url, name, mode] = process.argv.slice(2);
if (
  url === undefined ||
  name === undefined ||
  (mode !== 'ready-claim' && mode !== 'claim-next') ||
  !process.send
) {
  process.stderr.write('usage: pg-claim-worker.js <url> <name> ready-claim|claim-next (forked, with IPC)\n');
  process.exit(2);
}

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

async function readyClaim(store: PostgresBeadStore, claimant: string): Promise<WorkerDone> {
  const done: WorkerDone = { kind: 'done', claimed: [], lost: 0, busy: 0 };
  for (;;) {
    const batch = await store.readyIds({ limit: 20, sort: 'priority' });
    if (batch.length === 0) return done;
    const id = batch[Math.floor(Math.random() * batch.length)]!;
    try {
      await store.claim(id, claimant, { actor: claimant });
      done.claimed.push(id);
    } catch (error) {
      if (!(error instanceof GasTownError)) throw error;
      if (error.code === ErrorCode.alreadyClaimed) done.lost++;
      else if (error.retryable) done.busy++;
      else throw error;
    }
  }
}

async function claimNext(store: PostgresBeadStore, claimant: string): Promise<WorkerDone> {
  const done: WorkerDone = { kind: 'done', claimed: [], lost: 0, busy: 0 };
  for (;;) {
    const bead = await store.claimNext(claimant, { sort: 'priority' }, { actor: claimant });
    if (bead === undefined) return done;
    done.claimed.push(bead.id);
  }
}

const pool = openPool({ url, max: 1 });
const store = new PostgresBeadStore(poolSource(pool));
process.once('message', (raw: unknown) => {
  goMessage.parse(raw);
  (mode === 'claim-next' ? claimNext : readyClaim)(store, name)
    .catch((error: unknown) => ({ kind: 'failed', message: String(error) }) as const)
    .then(async (result) => {
      await pool.end();
      await send(result);
      process.disconnect();
    })
    .catch((error: unknown) => {
      process.stderr.write(`pg-claim-worker ${name}: ${String(error)}\n`);
      process.exit(1);
    });
});
// Open the connection before saying ready, so the race does not time connection setup.
await pool.query('SELECT 1');
await send({ kind: 'ready' });
