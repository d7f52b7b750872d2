// Timing helpers: medians of repeated runs after a warmup, and wall time of child processes.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface Sampling {
  warmup: number;
  runs: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median milliseconds of `fn` over `runs` runs, after `warmup` untimed ones. */
export async function medianMs(fn: () => unknown, sampling: Sampling): Promise<number> {
  for (let i = 0; i < sampling.warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < sampling.runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export interface ProcessRun {
  ms: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and measures its wall time. */
export function timeProcess(command: string, args: readonly string[], cwd?: string): ProcessRun {
  const start = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', cwd, maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (result.error) throw result.error;
  return { ms, status: result.status, stdout: result.stdout, stderr: result.stderr };
}
