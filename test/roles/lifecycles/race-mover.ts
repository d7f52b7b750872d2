// A mover process for race.test.ts, run as `node --import tsx race-mover.ts <db file>` with an IPC
// channel. It opens the town database with its own connection and, for each request, makes one
// move as soon as it is told, answering whether it won, lost cleanly (false) or was refused (code).
import { openDb } from '../../../src/db/open.js';
import { GasTownError } from '../../../src/errors.js';
import { Ledger } from '../../../src/ledger/index.js';
import { moveConvoy } from '../../../src/roles/convoy/index.js';
import { endSessionRow, movePolecat } from '../../../src/roles/polecat/index.js';
import { moveMergeRequest } from '../../../src/roles/refinery/index.js';

export type RaceRequest =
  | { lifecycle: 'merge_request'; id: number }
  | { lifecycle: 'session'; id: string }
  | { lifecycle: 'polecat'; rig: string; name: string; bead: string }
  | { lifecycle: 'convoy'; id: string };
export type RaceReply = { moved: boolean } | { code: string };

const [file] = process.argv.slice(2);
if (file === undefined || !process.send) {
  process.stderr.write('usage: race-mover.ts <db file> (forked, with an IPC channel)\n');
  process.exit(2);
}
const db = openDb(file);
const town = { db, ledger: new Ledger(db) };

function move(request: RaceRequest): boolean {
  switch (request.lifecycle) {
    case 'merge_request':
      return moveMergeRequest(town, request.id, {
        from: 'queued',
        to: 'merging',
        attempts: 0,
        countAttempt: true,
        event: { kind: 'merge.started', actor: `racer-${process.pid}`, payload: { mr: request.id } },
      });
    case 'session':
      return endSessionRow(db, request.id, { outcome: 'crashed', recordedBy: 'deacon.session_expired' });
    case 'polecat':
      return movePolecat(
        db,
        { rig: request.rig, name: request.name },
        {
          to: 'working',
          bead_id: request.bead,
          branch: `polecat/${request.name}/${request.bead}`,
          worktree: '/w',
          session_id: null,
        },
        { from: ['absent', 'idle'] },
      );
    case 'convoy':
      return moveConvoy(town, request.id, {
        to: 'landed',
        event: () => ({ kind: 'convoy.landed', actor: `racer-${process.pid}`, payload: {} }),
      });
  }
}

process.on('message', (raw) => {
  const request = raw as RaceRequest;
  let reply: RaceReply;
  try {
    reply = { moved: move(request) };
  } catch (error) {
    if (!(error instanceof GasTownError)) throw error;
    reply = { code: error.code };
  }
  process.send!(reply);
});
process.on('disconnect', () => {
  db.close();
  process.exit(0);
});
process.send({ ready: true });
