// What a running process costs, read from Linux's /proc: CPU time (user + system, its own and its
// reaped children's, in clock ticks) and resident memory, sampled over a window.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { median } from './timing.js';

/** Clock ticks per second (`getconf CLK_TCK`); 100 when getconf is not there. */
export function clockTicks(): number {
  const run = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number(run.stdout?.trim());
  return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
}

/** utime + stime + cutime + cstime of `pid`, in ticks. */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which sits in parentheses and may hold spaces: state is [0].
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [11, 12, 13, 14].map((i) => Number(fields[i])).reduce((a, b) => a + b, 0);
}

/** VmRSS of `pid`, in bytes. */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

export interface Usage {
  /** CPU time over wall time, in percent of one core. */
  cpuPercent: number;
  rssMedian: number;
  rssMax: number;
}

/** Samples every process in `pids` once a second for `seconds`, all over the same window. */
export async function sampleUsage(pids: readonly number[], seconds: number): Promise<Usage[]> {
  const hz = clockTicks();
  const startTicks = pids.map(cpuTicks);
  const start = performance.now();
  const rss: number[][] = pids.map((pid) => [rssBytes(pid)]);
  for (let s = 1; s <= seconds; s++) {
    await new Promise((resolve) => setTimeout(resolve, start + s * 1000 - performance.now()));
    pids.forEach((pid, i) => rss[i]!.push(rssBytes(pid)));
  }
  const wallSeconds = (performance.now() - start) / 1000;
  return pids.map((pid, i) => ({
    cpuPercent: ((cpuTicks(pid) - startTicks[i]!) / hz / wallSeconds) * 100,
    rssMedian: median(rss[i]!),
    rssMax: Math.max(...rss[i]!),
  }));
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
