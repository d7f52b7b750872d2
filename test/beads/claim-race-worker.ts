// A racer process for claim-race.test.ts, run with `node --import tsx claim-race-worker.ts <db> <name>`.
// It opens the shared town database with its own connection and answers the test's requests one
// at a time: claim this bead now, or claim from the ready set until nothing is left.
import { SqliteBeadStore } from '../../src/beads/index.js';
import { openDb } from '../../src/db/open.js';
import { ErrorCode, GasTownError } from '../../src/errors.js';
import type { RacerReply, RacerRequest } from './claim-race-protocol.js';
import { racerRequest } from './claim-race-protocol.js';

const [file, name] = process.argv.slice(2);
if (file === undefined || name === undefined || !process.send) {
  process.stderr.write('usage: claim-race-worker.ts <db file> <name> (forked, with an IPC channel)\n');
  process.exit(2);
}

const db = openDb(file);
const store = new SqliteBeadStore(db);

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

async function handle(request: RacerRequest): Promise<void> {
  switch (request.kind) {
    case 'claim':
      return reply(await claim(request.id));
    case 'drain':
      return reply(await drain());
    case 'stop':
      db.close();
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
