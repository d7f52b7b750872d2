// The cold-start bench: wall time of a fresh `gt bd ready --json` process on a 10k-bead town,
// against a bare `node -e 0` timed in the same run — what an agent pays for every bead query.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTownDb } from './fixtures.js';
import { comparisonLine, line, ms, progress, thousands } from './report.js';
import type { ProcessRun } from './timing.js';
import { median, timeProcess } from './timing.js';

const bin = fileURLToPath(new URL('../bin/gt.js', import.meta.url));

export interface ColdStartOptions {
  dir: string;
  beads: number;
  runs: number;
  /** The largest acceptable ratio to `node -e 0`. */
  targetRatio: number;
}

function gt(args: readonly string[]): ProcessRun {
  return timeProcess(process.execPath, [bin, ...args]);
}

function firstLine(run: ProcessRun): string {
  return (run.stderr.trim() || run.stdout.trim()).split('\n')[0] ?? '';
}

/** What `bd ready --json` printed, as a count of beads when it is a list. */
function describeOutput(stdout: string): string {
  try {
    const parsed: unknown = JSON.parse(stdout);
    return Array.isArray(parsed) ? `${parsed.length} beads` : 'a JSON object';
  } catch {
    return 'output that is not JSON';
  }
}

export function benchColdStart(options: ColdStartOptions): void {
  const label = `cold gt bd ready --json ${thousands(options.beads)}`;
  const town = join(options.dir, 'town');
  progress(`installing a town with \`gt install\` and filling it with ${options.beads} beads…`);
  const install = gt(['install', town]);
  if (install.status !== 0) {
    line(`${label}: UNAVAILABLE — gt install exited ${install.status ?? 'null'}: ${firstLine(install)}`);
    return;
  }
  buildTownDb(join(town, '.gt', 'town.db'), options.beads, 'hq').close();

  const args = ['bd', 'ready', '--json', '--town', town];
  const probe = gt(args);
  if (probe.status !== 0) {
    line(`${label}: UNAVAILABLE — gt bd ready exited ${probe.status ?? 'null'}: ${firstLine(probe)}`);
    return;
  }
  progress(
    `gt bd ready --json printed ${describeOutput(probe.stdout)}; timing ${options.runs} runs of each…`,
  );
  const nodeTimes: number[] = [];
  const gtTimes: number[] = [];
  timeProcess(process.execPath, ['-e', '0']); // warm the page cache for node itself
  for (let i = 0; i < options.runs; i++) {
    // Interleaved, so background noise hits both alike.
    nodeTimes.push(timeProcess(process.execPath, ['-e', '0']).ms);
    const run = gt(args);
    if (run.status !== 0) {
      line(`${label}: FAILED on run ${i + 1}: ${firstLine(run)}`);
      process.exitCode = 1;
      return;
    }
    gtTimes.push(run.ms);
  }
  const value = median(gtTimes);
  const baseline = median(nodeTimes);
  line(
    comparisonLine({
      name: label,
      value: ms(value),
      baselineName: 'node -e 0',
      baseline: ms(baseline),
      ratio: value / baseline,
      target: { text: `< ${options.targetRatio}x`, ok: value / baseline < options.targetRatio },
    }),
  );
}
