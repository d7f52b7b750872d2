// An appender process for ledger-concurrency.test.ts, run with
// `node --import tsx ledger-append-worker.ts <sqlite|postgres> <file or url> <name> <count>`:
// opens its own connection(s), says "ready", waits for "go", appends `count` events from three
// concurrent loops (several pool connections on PostgreSQL), then reports the seqs it got.
import { openDb } from '../../src/db/open.js';
import { LedgerRepository } from '../../src/store/ledger/index.js';
import { openPool, poolSource } from '../../src/store/postgres/connection.js';
import { sqliteSource } from '../../src/store/sqlite/connection.js';

const [kind, location, name, countText] = process.argv.slice(2);
const count = Number(countText);
const send = (message: unknown) => process.send?.(message);

const pool = kind === 'postgres' ? openPool({ url: location!, max: 3 }) : undefined;
const db = kind === 'sqlite' ? openDb(location!, { migrate: false }) : undefined;
const repo = new LedgerRepository(pool ? poolSource(pool) : sqliteSource(db!));

process.once('message', () => {
  void (async () => {
    const seqs: number[] = [];
    let next = 0;
    const loop = async () => {
      while (next < count) {
        const n = next++;
        const event = await repo.append({ kind: 'race.append', actor: name!, payload: { n } });
        seqs.push(event.seq);
      }
    };
    await Promise.all([loop(), loop(), loop()]);
    send({ seqs });
    await pool?.end();
    db?.close();
    process.disconnect();
  })().catch((error: unknown) => {
    send({ error: String(error) });
    process.exitCode = 1;
    process.disconnect();
  });
});
send('ready');
