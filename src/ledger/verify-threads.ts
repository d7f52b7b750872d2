// Runs verification segments on worker threads and the calling thread together: each thread
// claims the next unclaimed segment from a shared counter until none are left, so a thread the
// machine is busy elsewhere with simply checks fewer. The calling thread waits for the workers
// synchronously (Atomics.wait on a shared flag; answers taken off a MessagePort with
// receiveMessageOnPort), so verifyDatabase stays a plain function for its callers. Anything that
// goes wrong with a worker — the entry file missing from this build, a thread that fails or stops
// making progress — only means the segments it did not answer are checked here.
import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { SegmentResult, SegmentTask } from './verify-segment.js';
import { verifySegment } from './verify-segment.js';

/** What the worker entry receives. */
export interface WorkerJob {
  file: string;
  tasks: readonly SegmentTask[];
  port: MessagePort;
  /** Int32: [0] the next unclaimed task; per worker slot s ≥ 1, [2s] done flag, [2s+1] pages read. */
  state: Int32Array;
  slot: number;
}

/** What it answers, once per task (`error` once, when it cannot go on). */
export type WorkerAnswer = { task: number; result: SegmentResult } | { error: string };

/** Next to this module in both layouts: dist/src/ledger/ (tsc) and dist/bin/ (the bundle's chunks). */
const workerEntry = new URL('./verify-worker.js', import.meta.url);

/** A worker that has read nothing for this long is given up on. */
const stallMs = 30_000;

export function workerEntryAvailable(): boolean {
  return workerEntry.protocol === 'file:' && existsSync(fileURLToPath(workerEntry));
}

/** Claims tasks from `state[0]` and runs them until none are left or one is unsound. */
export function claimTasks(
  state: Int32Array,
  tasks: readonly SegmentTask[],
  run: (task: SegmentTask) => SegmentResult,
  done: (index: number, result: SegmentResult) => void,
): void {
  for (let i = Atomics.add(state, 0, 1); i < tasks.length; i = Atomics.add(state, 0, 1)) {
    const result = run(tasks[i]!);
    done(i, result);
    // The serial verifier takes over from here; nobody needs to check the rest.
    if (!result.sound) Atomics.store(state, 0, tasks.length);
  }
}

/**
 * Results in task order, checked by up to `workers` threads reading `file` (the database of `db`,
 * opened read-only there) besides this one, which uses `db`.
 */
export function runSegments(
  db: Database.Database,
  file: string | undefined,
  tasks: readonly SegmentTask[],
  workers: number,
): SegmentResult[] {
  const results: (SegmentResult | undefined)[] = new Array<SegmentResult | undefined>(tasks.length);
  const count = file !== undefined && workerEntryAvailable() ? Math.min(workers, tasks.length - 1) : 0;
  const state = new Int32Array(new SharedArrayBuffer(4 * 2 * (count + 1)));
  const running = Array.from({ length: count }, (_, i) => start(file ?? '', tasks, state, i + 1));
  try {
    claimTasks(
      state,
      tasks,
      (task) => verifySegment(db, task),
      (i, result) => (results[i] = result),
    );
    for (const [i, job] of running.entries()) {
      if (job === undefined) continue;
      waitFor(state, i + 1);
      for (let m = receiveMessageOnPort(job.port); m !== undefined; m = receiveMessageOnPort(job.port)) {
        const answer = m.message as WorkerAnswer;
        if ('task' in answer) results[answer.task] = answer.result;
      }
    }
  } finally {
    for (const job of running) {
      job?.port.close();
      void job?.worker.terminate();
    }
  }
  // Whatever a worker did not answer, and what was left after an unsound segment (which makes
  // the whole verdict go to the serial verifier anyway: only the first unsound one matters).
  const firstUnsound = results.findIndex((r) => r !== undefined && !r.sound);
  return tasks.map((task, i) =>
    firstUnsound !== -1 && i > firstUnsound ? { sound: false } : (results[i] ?? verifySegment(db, task)),
  );
}

function start(
  file: string,
  tasks: readonly SegmentTask[],
  state: Int32Array,
  slot: number,
): { worker: Worker; port: MessagePort } | undefined {
  try {
    const { port1, port2 } = new MessageChannel();
    const job: WorkerJob = { file, tasks, port: port2, state, slot };
    const worker = new Worker(workerEntry, { workerData: job, transferList: [port2] });
    worker.unref();
    // Errors arrive as events only after this synchronous verification is over; the flag and the
    // progress counter are what count. Listening keeps a late error from being thrown unhandled.
    worker.on('error', () => undefined);
    return { worker, port: port1 };
  } catch {
    return undefined;
  }
}

/** Waits for the worker in `slot` to finish, or to stop making progress. */
function waitFor(state: Int32Array, slot: number): void {
  let pages = Atomics.load(state, slot * 2 + 1);
  let progressAt = performance.now();
  while (Atomics.load(state, slot * 2) === 0) {
    Atomics.wait(state, slot * 2, 0, 1_000);
    const read = Atomics.load(state, slot * 2 + 1);
    if (read !== pages) {
      pages = read;
      progressAt = performance.now();
    } else if (performance.now() - progressAt > stallMs) {
      return;
    }
  }
}
