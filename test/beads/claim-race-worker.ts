// A racer process for claim-race.test.ts, run with `node --import tsx claim-race-worker.ts <db> <name>`
// where <db> is a town.db file or a postgres:// URL. It opens the shared store with its own
// connections and answers the test's requests one at a time: claim this bead now, claim from the
// ready set until nothing is left, or (PostgreSQL) claim the next ready bead until none is left.
import type { BeadStore } from '../../src/beads/index.js';
import { SqliteBeadStore } from '../../src/beads/index.js';
import { openDb } from '../../src/db/open.js';
import { ErrorCode, GasTownError } from '../../src/errors.js';
import { openPool, poolSource } from '../../src/store/index.js';
import { PostgresBeadStore } from '../../src/store/postgres/beads/index.js';
import type { RacerReply, RacerRequest } from './claim-race-protocol.js';
import { racerRequest } from './claim-race-protocol.js';

const [file, name] = process.argv.slice(2);
if (file === undefined || name === undefined || !process.send) {
  process.stderr.write('usage: claim-race-worker.ts <db file> <name> (forked, with an IPC channel)\n');
  process.exit(2);
}

function open(target: string): { store: BeadStore; pg?: PostgresBeadStore } {
  if (!target.startsWith('postgres://')) {
    return { store: new SqliteBeadStore(openDb(target), { ownsDb: true }) };
  }
  const pool = openPool({ url: target, max: 2 });
  const pg = new PostgresBeadStore(poolSource(pool), { onDispose: () => pool.end() });
  return { store: pg, pg };
}

const { store, pg } = open(file);

function reply(message: RacerReply): void {
  process.send!(message);
}

async function claim(id: string): Promise<RacerReply> {
  try {
    const bead = await store.claim(id, name!, { actor: name! });
    return { kind: 'claimed', id, assignee: bead.assignee ?? '' };
  } catch (error) {
    if (error instanceof GasTownError)
      return { kind: 'refused', id, code: error.code, message: error.message };
    throw error;
  }
}

async function drain(): Promise<RacerReply> {
  const claimed: string[] = [];
  let lost = 0;
  for (;;) {
    const ready = await store.ready({ limit: 20, sort: 'priority' });
    if (ready.length === 0) return { kind: 'drained', claimed, lost };
    const outcome = await claim(ready[Math.floor(Math.random() * ready.length)]!.id);
    if (outcome.kind === 'claimed') claimed.push(outcome.id);
    else if (outcome.kind === 'refused' && outcome.code === ErrorCode.alreadyClaimed) lost++;
    else return { kind: 'failed', message: `unexpected refusal: ${JSON.stringify(outcome)}` };
  }
}

async function drainNext(): Promise<RacerReply> {
  if (!pg) return { kind: 'failed', message: 'claimNext is a PostgreSQL store method' };
  const claimed: string[] = [];
  for (;;) {
    const bead = await pg.claimNext(name!, { sort: 'priority' }, { actor: name! });
    if (bead === undefined) return { kind: 'drained', claimed, lost: 0 };
    claimed.push(bead.id);
  }
}

async function handle(request: RacerRequest): Promise<void> {
  switch (request.kind) {
    case 'claim':
      return reply(await claim(request.id));
    case 'drain':
      return reply(await drain());
    case 'drain-next':
      return reply(await drainNext());
    case 'stop':
      await store.dispose();
      process.disconnect();
  }
}

// Requests are handled strictly in order, one at a time.
let queue = Promise.resolve();
process.on('message', (raw: unknown) => {
  queue = queue
    .then(() => handle(racerRequest.parse(raw)))
    .catch((error: unknown) => reply({ kind: 'failed', message: String(error) }));
});
reply({ kind: 'ready' });
