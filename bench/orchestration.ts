// The orchestration-overhead bench: a convoy of script beads across two rigs, each writing one file,
// run by the real daemon (`gt up`: dispatcher → sling → sandboxed session → Witness verify →
// Refinery rebase, check, fast-forward) from launch until it lands — against the same git work for
// the same changes done by one bash script in the same run.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Db } from '../src/db/open.js';
import { markConvoyLaunched } from '../src/roles/convoy/convoy-dispatch.js';
import { createConvoy } from '../src/roles/convoy/convoy.js';
import { gastownExtra } from '../src/roles/polecat/bead-steps.js';
import { getRig } from '../src/town/index.js';
import { openTownServices, type TownServices } from '../src/town/services.js';
import { convoyPhases } from './convoy-phases.js';
import { git, gtDown, gtUp, makeRepo, makeTown } from './gt-town.js';
import { comparisonLine, line, progress } from './report.js';
import { runShellBaseline, type BaselineChange } from './shell-baseline.js';

export interface OrchestrationOptions {
  dir: string;
  rigs: number;
  beadsPerRig: number;
  targetRatio: number;
  /** Give up on the convoy after this long. */
  timeoutMs: number;
}

const check = 'test -d .';
const seconds = (value: number): string => `${(value / 1000).toFixed(1)} s`;
const duration = (value: number): string => (value < 1000 ? `${Math.round(value)} ms` : seconds(value));
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

/** Prints the result lines; a bench that cannot run says so in its line and the rest go on. */
export async function benchOrchestration(options: OrchestrationOptions): Promise<void> {
  try {
    await measure(options);
  } catch (error) {
    line(`orchestration: FAILED — ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

async function measure(options: OrchestrationOptions): Promise<void> {
  const total = options.rigs * options.beadsPerRig;
  const label = `orchestration ${total} beads / ${options.rigs} rigs`;
  const work = join(options.dir, 'orchestration');
  const root = join(work, 'town');
  const rigs = Array.from({ length: options.rigs }, (_, i) => `rig${i + 1}`);
  // Every change writes its own file: `echo n > f-n.txt`, n running over all the rigs.
  const changes: BaselineChange[] = rigs.flatMap((rig, r) =>
    Array.from({ length: options.beadsPerRig }, (_, i) => ({ rig, n: r * options.beadsPerRig + i + 1 })),
  );
  progress(`making ${options.rigs} generated git repos into rigs of a new town (check: ${check})…`);
  makeTown(
    root,
    rigs.map((name) => ({ name, source: makeRepo(join(work, 'sources', name)), check })),
  );
  const town = openTownServices(root, { env: process.env });
  let oursMs: number;
  let launchedAt: number;
  let convoy: string;
  try {
    progress(`filing ${total} script beads (one file each) in one convoy…`);
    convoy = await fileConvoy(town, changes);
    progress(
      'gt up, then the convoy launched: dispatch, sessions, Witness and Refinery as in a real town — ' +
        'every step and check in bubblewrap, every change in the ledger (the baseline has neither)…',
    );
    const pid = gtUp(root);
    try {
      launchedAt = Date.now();
      const start = performance.now();
      markConvoyLaunched(town, convoy, 'overseer');
      const landed = await waitLanded(town.db, convoy, start, options.timeoutMs);
      oursMs = performance.now() - start;
      if (!landed) {
        line(`${label}: FAILED — the convoy did not land within ${seconds(options.timeoutMs)}`);
        process.exitCode = 1;
        return;
      }
    } finally {
      gtDown(root, pid);
    }
    const merged = rigs.map((rig) => trailers(join(root, rig, 'refinery'))).reduce((a, b) => a + b, 0);
    const p = convoyPhases(town.db, convoy, launchedAt);
    const busy = [...p.refineryBusy].map(([rig, value]) => `${rig} ${duration(value)}`).join(', ');
    progress(`ours: ${merged}/${total} commits with a Gas-Town-Bead trailer on the rigs' main`);
    progress(
      `dispatcher, one bead at a time: hook → session ${duration(p.worktree)} (capacity, worktree) + ` +
        `session ${duration(p.session)} (policy, step in bwrap, commit) per bead (medians); ` +
        `last bead hooked at ${duration(p.lastHooked)}`,
    );
    progress(
      `after the session (medians): done → verified ${duration(p.verify)} (Witness tick wait, diff, check in bwrap) · ` +
        `verified → merge start ${duration(p.queued)} (Refinery queue) · merge ${duration(p.merge)} ` +
        `(rebase, check in bwrap, fast-forward, cleanup); Refinery busy: ${busy}`,
    );
  } finally {
    town.close();
  }
  progress(
    `shell baseline: the same ${total} changes by one bash script (worktree, commit, rebase, check, ff)…`,
  );
  const baseline = runShellBaseline(join(work, 'baseline'), changes, check);
  progress(
    `baseline: ${baseline.merged}/${total} commits on main, ${duration(baseline.ms / total)} per change`,
  );
  line(
    comparisonLine({
      name: `${label} (launch → landed; sandbox + ledger included)`,
      value: seconds(oursMs),
      baselineName: 'shell git work',
      baseline: seconds(baseline.ms),
      ratio: oursMs / baseline.ms,
      target: { text: `ratio ≤ ${options.targetRatio}`, ok: oursMs / baseline.ms <= options.targetRatio },
    }),
  );
}

async function fileConvoy(town: TownServices, changes: readonly BaselineChange[]): Promise<string> {
  const ids: string[] = [];
  for (const { rig, n } of changes) {
    const bead = await town.beads.create(
      {
        prefix: getRig(town.db, rig)!.prefix,
        title: `Write f-${n}.txt`,
        extra: gastownExtra([`echo ${n} > f-${n}.txt`], []),
      },
      { actor: 'overseer' },
    );
    ids.push(bead.id);
  }
  const { convoy } = await createConvoy(town, { name: 'orchestration bench', beads: ids }, 'overseer');
  return convoy.id;
}

/** Polls the convoy until it is `landed` (true) or the time is up (false); progress every 5 s. */
async function waitLanded(db: Db, convoy: string, start: number, timeoutMs: number): Promise<boolean> {
  const state = db.prepare<[string], string>('SELECT state FROM convoys WHERE id = ?').pluck();
  const closed = db
    .prepare<[string], number>(
      `SELECT count(*) FROM convoy_beads c JOIN beads b ON b.id = c.bead_id
        WHERE c.convoy_id = ? AND b.status = 'closed'`,
    )
    .pluck();
  let nextNote = start + 5_000;
  while (performance.now() - start < timeoutMs) {
    if (state.get(convoy) === 'landed') return true;
    if (performance.now() >= nextNote) {
      progress(`[${seconds(performance.now() - start)}] ${closed.get(convoy) ?? 0} beads merged`);
      nextNote += 5_000;
    }
    await sleep(50);
  }
  return false;
}

/** Commits on the worktree's branch that carry a `Gas-Town-Bead` trailer. */
function trailers(worktree: string): number {
  return git(['log', '--format=%(trailers:key=Gas-Town-Bead,valueonly)'], worktree)
    .split('\n')
    .filter((l) => l.trim() !== '').length;
}
