// The ready-query bench on PostgreSQL: `store.ready({limit: 10})`, the full ready set of ids and of
// whole beads on a generated town, each against the same query written by hand and run on a plain
// `pg` client (the raw-driver baseline) in the same run.
import { performance } from 'node:perf_hooks';
import type { Bead } from '../src/beads/index.js';
import { poolSource, runnerFor } from '../src/store/index.js';
import { bulkInsertBeads, PostgresBeadStore } from '../src/store/postgres/beads/index.js';
import { benchDatabase } from './pg-server.js';
import { comparisonLine, line, ms, progress, thousands } from './report.js';
import type { Sampling } from './timing.js';
import { medianMs } from './timing.js';
import { generateTown } from './town-gen.js';

export interface PgReadyBenchOptions {
  size: number;
  sampling: Sampling;
  /** Milliseconds the query should stay under, if this size has a target. */
  targetMs?: number;
}

/** Generated beads with comment ids numbered across the town (the generator leaves them 0). */
export function numberedTown(size: number, prefix: string, seed: number): Bead[] {
  let comment = 0;
  return generateTown(size, { prefix, seed }).map((bead) => ({
    ...bead,
    comments: bead.comments.map((c) => ({ ...c, id: ++comment })),
  }));
}

const rawReady = (limit: string) => `SELECT i.id FROM beads i
  WHERE i.status = 'open' AND (i.defer_ms IS NULL OR i.defer_ms <= $1)
    AND NOT EXISTS (SELECT 1 FROM blocked_cache bc WHERE bc.id = i.id)
  ORDER BY i.priority, i.created_ms, i.id ${limit}`;

export async function benchPgReady(options: PgReadyBenchOptions): Promise<void> {
  const { size, sampling } = options;
  const label = thousands(size);
  const started = performance.now();
  progress(`PostgreSQL: building a ${label}-bead town…`);
  const db = await benchDatabase(`ready_${label}`);
  try {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await bulkInsertBeads(runnerFor(client), numberedTown(size, 'gt', size));
      await client.query('COMMIT');
      // What autovacuum does on a live server soon after a load: statistics and the visibility map.
      await client.query('VACUUM ANALYZE');
    } finally {
      client.release();
    }
    const store = new PostgresBeadStore(poolSource(db.pool));
    const readyCount = (await readyIdsOf(store)).length;
    progress(`built in ${ms(performance.now() - started)}: ${size} beads, ${readyCount} ready`);
    const raw = await db.pool.connect();
    try {
      const now = () => [Date.now()];
      const baseLimited = await medianMs(() => raw.query(rawReady('LIMIT 10'), now()), sampling);
      const baseFull = await medianMs(() => raw.query(rawReady(''), now()), sampling);
      const limited = await medianMs(() => store.ready({ limit: 10 }), sampling);
      const idsOnly = await medianMs(() => readyIdsOf(store), sampling);
      const full = await medianMs(() => store.ready(), sampling);
      const target = (value: number) =>
        options.targetMs === undefined
          ? {}
          : { target: { text: `< ${options.targetMs} ms`, ok: value < options.targetMs } };
      for (const [what, value, baseline, targeted] of [
        ['limit 10', limited, baseLimited, true],
        [`full set, ${readyCount} ids`, idsOnly, baseFull, true],
        [`full set, ${readyCount} beads with relations`, full, baseFull, false],
      ] as const) {
        line(
          comparisonLine({
            name: `postgres ready ${label} (${what})`,
            value: ms(value),
            baselineName: 'raw pg query',
            baseline: ms(baseline),
            ratio: value / baseline,
            ...(targeted ? target(value) : {}),
          }),
        );
      }
    } finally {
      raw.release();
    }
  } finally {
    await db.drop();
  }
}

/** The ready ids alone, through the store's own query and pool. */
function readyIdsOf(store: PostgresBeadStore): Promise<string[]> {
  return store.readyIds({});
}
