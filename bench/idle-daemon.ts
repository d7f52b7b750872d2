// The idle-daemon bench: a town with two rigs and ten idle polecats, `gt up`, and nothing to do —
// the daemon's CPU and resident memory over a window, against an idle `node` process with one
// interval timer sampled over the same window in the same run.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { openDb } from '../src/db/open.js';
import { gtDown, gtUp, makeRepo, makeTown } from './gt-town.js';
import { megabytes, sampleUsage, type Usage } from './proc-usage.js';
import { comparisonLine, line, progress } from './report.js';

export interface IdleDaemonOptions {
  dir: string;
  rigs: number;
  polecats: number;
  seconds: number;
  /** Let both processes start up before the window opens. */
  settleMs: number;
  targetCpuPercent: number;
  targetRssMb: number;
}

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

/** Prints the result lines; a bench that cannot run says so in its line and the rest go on. */
export async function benchIdleDaemon(options: IdleDaemonOptions): Promise<void> {
  try {
    await measure(options);
  } catch (error) {
    line(`idle daemon: FAILED — ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

async function measure(options: IdleDaemonOptions): Promise<void> {
  const work = join(options.dir, 'idle-daemon');
  const root = join(work, 'town');
  const rigs = Array.from({ length: options.rigs }, (_, i) => `rig${i + 1}`);
  progress(`making a town with ${options.rigs} rigs and ${options.polecats} idle polecats…`);
  makeTown(
    root,
    rigs.map((name) => ({ name, source: makeRepo(join(work, 'sources', name)), check: 'test -d .' })),
  );
  addIdlePolecats(join(root, '.gt', 'town.db'), rigs, options.polecats);

  const baseline = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    const pid = gtUp(root);
    try {
      if (baseline.pid === undefined) throw new Error('the baseline node process did not start');
      progress(
        `gt up (pid ${pid}) and an idle node (pid ${baseline.pid}); sampling both for ${options.seconds} s ` +
          `after ${options.settleMs / 1000} s to settle…`,
      );
      await sleep(options.settleMs);
      const [ours, idle] = await sampleUsage([pid, baseline.pid], options.seconds);
      report(options, ours!, idle!);
    } finally {
      gtDown(root, pid);
    }
  } finally {
    baseline.kill();
  }
}

function report(options: IdleDaemonOptions, ours: Usage, idle: Usage): void {
  const name = `idle daemon (${options.rigs} rigs, ${options.polecats} idle polecats, ${options.seconds} s)`;
  const baselineName = 'idle node with a 1 s timer';
  line(
    comparisonLine({
      name: `${name} CPU`,
      value: `${ours.cpuPercent.toFixed(2)}%`,
      baselineName,
      baseline: `${idle.cpuPercent.toFixed(2)}%`,
      ratio: ours.cpuPercent / idle.cpuPercent,
      target: { text: `< ${options.targetCpuPercent}%`, ok: ours.cpuPercent < options.targetCpuPercent },
    }),
  );
  line(
    comparisonLine({
      name: `${name} RSS`,
      value: `${megabytes(ours.rssMedian)} (max ${megabytes(ours.rssMax)})`,
      baselineName,
      baseline: megabytes(idle.rssMedian),
      ratio: ours.rssMedian / idle.rssMedian,
      target: { text: `< ${options.targetRssMb} MB`, ok: ours.rssMax < options.targetRssMb * 1024 * 1024 },
    }),
  );
}

/** Polecats with nothing on their hook, spread over the rigs, as a town has between convoys. */
function addIdlePolecats(file: string, rigs: readonly string[], count: number): void {
  const db = openDb(file);
  try {
    const insert = db.prepare(
      `INSERT INTO polecats (rig, name, state, bead_id, branch, worktree, session_id, updated_at)
       VALUES (?, ?, 'idle', NULL, NULL, NULL, NULL, ?)`,
    );
    const now = new Date().toISOString();
    db.transaction(() => {
      for (let i = 0; i < count; i++) insert.run(rigs[i % rigs.length], `idle-${i + 1}`, now);
    })();
  } finally {
    db.close();
  }
}
