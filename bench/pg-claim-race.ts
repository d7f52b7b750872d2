// The claim-race bench on PostgreSQL: several real processes claim from one pool of ready beads
// until none is left, through the store (ready + claim, and claimNext with SKIP LOCKED). Reports
// claims per second against the same number of plain single-row UPDATEs on a raw `pg` client (one
// process, autocommit) measured in the same run, and proves there was no double claim.
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { runnerFor } from '../src/store/index.js';
import { bulkInsertBeads } from '../src/store/postgres/beads/index.js';
import type { WorkerDone } from './claim-protocol.js';
import { goMessage, workerMessage } from './claim-protocol.js';
import { benchDatabase } from './pg-server.js';
import { numberedTown } from './pg-ready.js';
import { comparisonLine, line, perSecond, progress, rate, thousands } from './report.js';

const workerFile = fileURLToPath(new URL('./pg-claim-worker.js', import.meta.url));

export type ClaimMode = 'ready-claim' | 'claim-next';

export interface PgClaimRaceOptions {
  beads: number;
  workers: number;
  mode: ClaimMode;
  /** Claims per second should reach this share of plain UPDATEs per second. */
  targetShare: number;
}

interface Worker {
  name: string;
  child: ChildProcess;
  ready: Promise<void>;
  done: Promise<WorkerDone>;
}

function startWorker(url: string, name: string, mode: ClaimMode): Worker {
  const child = fork(workerFile, [url, name, mode]);
  let fail: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (raw: unknown) => {
      const message = workerMessage.parse(raw);
      if (message.kind === 'ready') resolve();
    });
    fail = reject;
  });
  const done = new Promise<WorkerDone>((resolve, reject) => {
    child.on('message', (raw: unknown) => {
      const message = workerMessage.parse(raw);
      if (message.kind === 'done') resolve(message);
      else if (message.kind === 'failed') reject(new Error(`worker ${name} failed: ${message.message}`));
    });
    child.on('exit', (code) => {
      const error = new Error(`worker ${name} exited with code ${code ?? 'null'} before finishing`);
      fail(error);
      reject(error);
    });
  });
  ready.catch(() => undefined);
  done.catch(() => undefined);
  return { name, child, ready, done };
}

async function buildPool(pool: pg.Pool, n: number): Promise<string[]> {
  const beads = numberedTown(n, 'pool', 7).map((bead) => ({
    ...bead,
    status: 'open' as const,
    dependencies: [],
    assignee: undefined,
    closed_at: undefined,
    close_reason: undefined,
    defer_until: undefined,
    deleted_at: undefined,
    deleted_by: undefined,
    delete_reason: undefined,
    original_type: undefined,
  }));
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await bulkInsertBeads(runnerFor(client), beads);
    await client.query('COMMIT');
    // What autovacuum does on a live server soon after a load: statistics and the visibility map.
    await client.query('VACUUM ANALYZE');
  } finally {
    client.release();
  }
  return beads.map((bead) => bead.id);
}

/** Double claims: a bead two workers reported, or whose assignee is not the worker that reported it. */
async function verify(pool: pg.Pool, results: readonly { name: string; done: WorkerDone }[]) {
  const assignees = new Map(
    (await pool.query<{ id: string; assignee: string | null }>('SELECT id, assignee FROM beads')).rows.map(
      (r) => [r.id, r.assignee],
    ),
  );
  const owner = new Map<string, string>();
  let doubleClaims = 0;
  for (const { name, done } of results) {
    for (const id of done.claimed) {
      if (owner.has(id) || assignees.get(id) !== name) doubleClaims++;
      owner.set(id, name);
    }
  }
  const open = await pool.query<{ n: number }>(`SELECT count(*) AS n FROM beads WHERE status = 'open'`);
  return { doubleClaims, unclaimed: open.rows[0]?.n ?? 0 };
}

/** The same number of plain single-row UPDATEs, each its own (autocommit) transaction, by one process. */
async function baselineMs(pool: pg.Pool, ids: readonly string[]): Promise<number> {
  await pool.query(`UPDATE beads SET status = 'open', assignee = NULL, lease_holder = NULL`);
  const client = await pool.connect();
  try {
    const start = performance.now();
    for (const id of ids) {
      await client.query(`UPDATE beads SET status = 'in_progress', assignee = $1 WHERE id = $2`, [
        'baseline',
        id,
      ]);
    }
    return performance.now() - start;
  } finally {
    client.release();
  }
}

export async function benchPgClaimRace(options: PgClaimRaceOptions): Promise<void> {
  progress(`PostgreSQL: building a pool of ${options.beads} ready beads…`);
  const db = await benchDatabase(`claims_${options.mode.replace('-', '_')}`);
  const workers: Worker[] = [];
  try {
    const ids = await buildPool(db.pool, options.beads);
    for (let n = 0; n < options.workers; n++)
      workers.push(startWorker(db.url, `racer-${n + 1}`, options.mode));
    await Promise.all(workers.map((w) => w.ready));
    progress(`${options.workers} worker processes ready (${options.mode}); racing…`);
    const start = performance.now();
    for (const w of workers) w.child.send(goMessage.parse({ kind: 'go' }));
    const results = await Promise.all(workers.map(async (w) => ({ name: w.name, done: await w.done })));
    const raceMs = performance.now() - start;
    const verdict = await verify(db.pool, results);
    const base = await baselineMs(db.pool, ids);
    const claimed = results.reduce((n, r) => n + r.done.claimed.length, 0);
    const claimRate = perSecond(claimed, raceMs);
    const baseRate = perSecond(options.beads, base);
    const share = claimRate / baseRate;
    line(
      comparisonLine({
        name: `postgres claim race ${thousands(options.beads)} (${options.workers} processes, ${options.mode})`,
        value: rate(claimRate, 'claims'),
        baselineName: '1 process plain UPDATE',
        baseline: rate(baseRate, 'updates'),
        ratio: baseRate / claimRate,
        target: {
          text: `double claims = 0, >= ${Math.round(options.targetShare * 100)}% of plain UPDATEs (${Math.round(share * 100)}%)`,
          ok: verdict.doubleClaims === 0 && share >= options.targetShare,
        },
      }),
    );
    const ok = verdict.doubleClaims === 0 && verdict.unclaimed === 0 && claimed === options.beads;
    const split = results.map((r) => `${r.name} ${r.done.claimed.length}`).join(', ');
    const lost = results.reduce((n, r) => n + r.done.lost, 0);
    line(
      `postgres claim race check: ${claimed}/${options.beads} claimed (${split}), ${lost} lost races, ` +
        `${verdict.doubleClaims} double claims, ${verdict.unclaimed} left open: ${ok ? 'OK' : 'FAILED'}`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill();
    await db.drop();
  }
}
