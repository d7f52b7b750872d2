// The ready-query bench: `store.ready({limit: 10})` and the full ready set on a realistic town,
// each against a plain `count(*)` of open beads timed on the same database in the same run.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteBeadStore } from '../src/beads/index.js';
import { readyIds } from '../src/beads/sqlite/ready.js';
import { buildTownDb, townStats } from './fixtures.js';
import type { Sampling } from './timing.js';
import { medianMs } from './timing.js';
import { comparisonLine, line, ms, progress, thousands } from './report.js';

export interface ReadyBenchOptions {
  dir: string;
  size: number;
  sampling: Sampling;
  /** Milliseconds the queries should stay under, if this size has a target. */
  targetMs?: number;
}

export async function benchReady(options: ReadyBenchOptions): Promise<void> {
  const { size, sampling } = options;
  const label = thousands(size);
  const started = performance.now();
  progress(`building a ${label}-bead town…`);
  const db = buildTownDb(join(options.dir, `ready-${label}.db`), size);
  const stats = townStats(db);
  progress(
    `built in ${ms(performance.now() - started)}: ${stats.beads} beads, ${stats.dependencies} dependencies, ` +
      `${stats.open} open, ${stats.ready} ready`,
  );
  try {
    const store = new SqliteBeadStore(db);
    const countOpen = db.prepare(`SELECT count(*) AS n FROM beads WHERE status = 'open'`);
    const baseline = await medianMs(() => countOpen.get(), sampling);
    const limited = await medianMs(() => store.ready({ limit: 10 }), sampling);
    const idsOnly = await medianMs(() => readyIds(db, {}), sampling);
    const full = await medianMs(() => store.ready(), sampling);
    const fullCount = (await store.ready()).length;
    const target = (value: number): { target?: { text: string; ok: boolean } } =>
      options.targetMs === undefined
        ? {}
        : { target: { text: `< ${options.targetMs} ms`, ok: value < options.targetMs } };
    // The target is for the query; loading every ready bead with its relations is shown beside it.
    for (const [what, value, targeted] of [
      ['limit 10', limited, true],
      [`full set, ${fullCount} ids`, idsOnly, true],
      [`full set, ${fullCount} beads with relations`, full, false],
    ] as const) {
      line(
        comparisonLine({
          name: `ready ${label} (${what})`,
          value: ms(value),
          baselineName: 'count(*) open',
          baseline: ms(baseline),
          ratio: value / baseline,
          ...(targeted ? target(value) : {}),
        }),
      );
    }
  } finally {
    db.close();
  }
}
