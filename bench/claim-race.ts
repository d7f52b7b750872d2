// The claim-race bench: several real processes claim from one pool of ready beads in one SQLite
// file until none is left. Reports claims per second against the same number of plain single-row
// UPDATEs by one uncontended process, and proves there was no double claim.
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDb } from '../src/db/open.js';
import type { Db } from '../src/db/open.js';
import type { WorkerDone } from './claim-protocol.js';
import { goMessage, workerMessage } from './claim-protocol.js';
import { buildReadyPool } from './fixtures.js';
import { comparisonLine, line, perSecond, progress, rate, thousands } from './report.js';

const workerFile = fileURLToPath(new URL('./claim-worker.js', import.meta.url));

export interface ClaimRaceOptions {
  dir: string;
  beads: number;
  workers: number;
}

interface Worker {
  name: string;
  child: ChildProcess;
  ready: Promise<void>;
  done: Promise<WorkerDone>;
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // a failure surfaces through whichever of ready/done is awaited
  return { promise, resolve, reject };
}

function startWorker(file: string, name: string): Worker {
  const child = fork(workerFile, [file, name]);
  const ready = deferred<void>();
  const done = deferred<WorkerDone>();
  const fail = (error: Error): void => {
    ready.reject(error);
    done.reject(error);
  };
  child.on('message', (raw: unknown) => {
    const message = workerMessage.parse(raw);
    if (message.kind === 'ready') ready.resolve();
    else if (message.kind === 'done') done.resolve(message);
    else fail(new Error(`worker ${name} failed: ${message.message}`));
  });
  child.on('exit', (code) =>
    fail(new Error(`worker ${name} exited with code ${code ?? 'null'} before finishing`)),
  );
  return { name, child, ready: ready.promise, done: done.promise };
}

interface Verdict {
  doubleClaims: number;
  unclaimed: number;
}

/** Every bead claimed by exactly one worker, and its assignee is the worker that reported it. */
function verify(db: Db, results: readonly { name: string; done: WorkerDone }[]): Verdict {
  const owner = new Map<string, string>();
  let doubleClaims = 0;
  const assigneeOf = db.prepare<[string], { assignee: string | null }>(
    'SELECT assignee FROM beads WHERE id = ?',
  );
  for (const { name, done } of results) {
    for (const id of done.claimed) {
      if (owner.has(id) || assigneeOf.get(id)?.assignee !== name) doubleClaims++;
      owner.set(id, name);
    }
  }
  const unclaimed =
    db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM beads WHERE status = 'open'`).get()?.n ?? 0;
  return { doubleClaims, unclaimed };
}

/** The same number of plain single-row UPDATEs, each its own transaction, by one process. */
function baselineMs(db: Db, ids: readonly string[]): number {
  db.exec(`UPDATE beads SET status = 'open', assignee = NULL, lease_holder = NULL`);
  const update = db.prepare(`UPDATE beads SET status = 'in_progress', assignee = ? WHERE id = ?`);
  const start = performance.now();
  for (const id of ids) update.run('baseline', id);
  return performance.now() - start;
}

interface RaceResult {
  options: ClaimRaceOptions;
  results: { name: string; done: WorkerDone }[];
  raceMs: number;
  baselineMs: number;
  verdict: Verdict;
}

function report({ options, results, raceMs, baselineMs, verdict }: RaceResult): boolean {
  const sum = (of: (done: WorkerDone) => number): number => results.reduce((n, r) => n + of(r.done), 0);
  const claimed = sum((done) => done.claimed.length);
  const claimRate = perSecond(claimed, raceMs);
  const baseRate = perSecond(options.beads, baselineMs);
  const ok = verdict.doubleClaims === 0 && verdict.unclaimed === 0 && claimed === options.beads;
  line(
    comparisonLine({
      name: `claim race ${thousands(options.beads)} (${options.workers} processes)`,
      value: rate(claimRate, 'claims'),
      baselineName: '1 process plain UPDATE',
      baseline: rate(baseRate, 'updates'),
      ratio: baseRate / claimRate,
      target: { text: 'double claims = 0', ok: verdict.doubleClaims === 0 },
    }),
  );
  const split = results.map((r) => `${r.name} ${r.done.claimed.length}`).join(', ');
  line(
    `claim race check: ${claimed}/${options.beads} claimed (${split}), ${sum((d) => d.lost)} lost races, ` +
      `${sum((d) => d.busy)} busy, ${verdict.doubleClaims} double claims, ${verdict.unclaimed} left open: ` +
      (ok ? 'OK' : 'FAILED'),
  );
  return ok;
}

export async function benchClaimRace(options: ClaimRaceOptions): Promise<void> {
  const file = join(options.dir, 'claim-race.db');
  progress(`building a pool of ${options.beads} ready beads…`);
  const ids = buildReadyPool(file, options.beads);
  const workers = Array.from({ length: options.workers }, (_, n) => startWorker(file, `racer-${n + 1}`));
  try {
    await Promise.all(workers.map((w) => w.ready));
    progress(`${options.workers} worker processes ready; racing…`);
    const start = performance.now();
    for (const w of workers) w.child.send(goMessage.parse({ kind: 'go' }));
    const results = await Promise.all(workers.map(async (w) => ({ name: w.name, done: await w.done })));
    const raceMs = performance.now() - start;
    const db = openDb(file);
    try {
      const verdict = verify(db, results);
      const ok = report({ options, results, raceMs, baselineMs: baselineMs(db, ids), verdict });
      if (!ok) process.exitCode = 1;
    } finally {
      db.close();
    }
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill();
  }
}
