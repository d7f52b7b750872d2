// A ledger big enough to be verified on worker threads, through the built code (`npm run build`
// first): the worker entry ships next to the bundle's chunks, the compiled workers agree with
// checking on one thread, and `gt audit verify` still confirms an intact ledger and names the
// first bad seq in the half a worker checks.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/open.js';
import { Ledger, createCheckpoint, loadTownKey } from '../../src/ledger/index.js';
import { verifySegment, type SegmentTask } from '../../src/ledger/verify-segment.js';
import type * as Threads from '../../src/ledger/verify-threads.js';
import { gtBin, runGt } from '../support/cli.js';
import { makeTown } from '../support/town.js';

/** Above verifySplit's default threshold of 100,000 events. */
const events = 120_000;
let root: string;

beforeAll(async () => {
  ({ root } = await makeTown());
  const db = openDb(join(root, '.gt', 'town.db'));
  const ledger = new Ledger(db);
  for (let start = 1; start < events; start += 10_000) {
    ledger.appendMany(
      Array.from({ length: Math.min(10_000, events - start) }, (_, k) => ({
        kind: 'tool.call',
        actor: 'web/polecats/nux',
        bead_id: `gt-${(start + k) % 97}`,
        payload: { call_id: `step-${start + k}`, command: 'npm test' },
      })),
    );
  }
  createCheckpoint(ledger, loadTownKey(join(root, '.gt', 'keys')), 'overseer');
  db.close();
}, 120_000);

describe('ledger verification on worker threads', () => {
  it('ships the worker entry next to the bundled gt', () => {
    expect(existsSync(join(gtBin, '..', 'verify-worker.js'))).toBe(true);
  });

  it('gets the same segment results from compiled workers as from one thread', async () => {
    const compiled = new URL('../../dist/src/ledger/verify-threads.js', import.meta.url).href;
    const { runSegments, workerEntryAvailable } = (await import(compiled)) as typeof Threads;
    expect(workerEntryAvailable()).toBe(true);
    const file = join(root, '.gt', 'town.db');
    const db = new Database(file, { readonly: true });
    const tasks: SegmentTask[] = [0, 1, 2].map((i) => ({
      lo: i * 40_960,
      hi: Math.min(events + 1, (i + 1) * 40_960),
      blockSize: 4096,
      checkpointSizes: i === 2 ? [events] : [],
      merkleUpTo: events,
    }));
    const threaded = runSegments(db, file, tasks, 2);
    expect(threaded.map((r) => r.sound)).toEqual([true, true, true]);
    expect(threaded).toEqual(tasks.map((task) => verifySegment(db, task)));
    db.close();
  });

  it('confirms the intact ledger and names a row edited in the second half', async () => {
    const intact = await runGt(['--town', root, '--json', 'audit', 'verify']);
    expect(intact.exitCode).toBe(0);
    expect(JSON.parse(intact.stdout)).toMatchObject({ ok: true, events: events + 1, checkpoints: 1 });
    const db = new Database(join(root, '.gt', 'town.db'));
    db.prepare(`UPDATE ledger SET actor = 'mayor' WHERE seq = 100000`).run();
    db.close();
    const tampered = await runGt(['--town', root, 'audit', 'verify']);
    expect(tampered.exitCode).toBe(1);
    expect(tampered.stdout).toContain('Ledger TAMPERED at seq 100000 (edited)');
  });
});
