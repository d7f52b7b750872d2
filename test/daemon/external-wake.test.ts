// Events other processes append (a convoy launched from the CLI, a merge queued by hand) wake the
// daemon's loops as its own events do: another connection's commit is noticed by polling
// SQLite's data_version, and the new events are routed to the loops that have work.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { wakeOnExternalEvents } from '../../src/daemon/loops.js';
import { openDb, type Db } from '../../src/db/open.js';
import { Ledger } from '../../src/ledger/index.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';

const open: Db[] = [];
const stops: (() => void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  for (const db of open.splice(0)) db.close();
  await removeTempDirs();
});

describe('waking loops on events from other processes', () => {
  it('routes events another connection commits, and ignores what it did before', async () => {
    const file = join(await makeTempDir('gt-wake'), 'town.db');
    const daemon = openDb(file);
    const other = openDb(file);
    open.push(daemon, other);
    const ledger = new Ledger(other);
    // Before the watch starts: never routed (it would wake the Mayor).
    ledger.append({ kind: 'merge.failed', actor: 'web/refinery', payload: {} });
    const woken: string[] = [];
    stops.push(wakeOnExternalEvents(daemon, (loop) => woken.push(loop), 5));

    ledger.append({ kind: 'convoy.launched', actor: 'overseer', payload: { id: 'cv-1' } });
    ledger.append({ kind: 'merge.queued', actor: 'web/witness', payload: { rig: 'web' } });
    // The rig comes from the event's field, not from the actor's name.
    ledger.append({ kind: 'polecat.done', actor: 'someone/else', payload: { rig: 'api', polecat: 'nux' } });
    ledger.append({ kind: 'bead.created', actor: 'overseer', payload: {} });

    await vi.waitFor(() => expect(woken).toHaveLength(3), { timeout: 5_000, interval: 10 });
    expect(woken.sort()).toEqual(['convoys', 'refinery:web', 'witness:api']);
  });
});
