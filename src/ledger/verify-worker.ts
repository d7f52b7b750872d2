// Worker thread entry for split ledger verification (see verify-threads.ts): claims segments and
// checks them on its own read-only connection inside one read transaction, answering each on the
// port, then raises the flag the calling thread waits on. The bundle ships it as
// dist/bin/verify-worker.js.
import Database from 'better-sqlite3';
import { workerData } from 'node:worker_threads';
import { verifySegment } from './verify-segment.js';
import type { WorkerAnswer, WorkerJob } from './verify-threads.js';
import { claimTasks } from './verify-threads.js';

const job = workerData as WorkerJob;
const answer = (message: WorkerAnswer) => job.port.postMessage(message);
try {
  const db = new Database(job.file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    const progress = () => void Atomics.add(job.state, job.slot * 2 + 1, 1);
    db.transaction(() =>
      claimTasks(
        job.state,
        job.tasks,
        (task) => verifySegment(db, task, progress),
        (task, result) => answer({ task, result }),
      ),
    ).deferred();
  } finally {
    db.close();
  }
} catch (error) {
  answer({ error: error instanceof Error ? error.message : String(error) });
}
Atomics.store(job.state, job.slot * 2, 1);
Atomics.notify(job.state, job.slot * 2);
