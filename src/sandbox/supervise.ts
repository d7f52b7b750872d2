// Runs one step's process in its own process group (detached) and supervises it: output capture and
// streaming, a deadline, an abort signal, and a kill that reaches everything the step started. When
// bwrap reports its pid-namespace init (`--info-fd 3`), killing that init takes the whole namespace.
import { closeSync, openSync } from 'node:fs';
import { constants } from 'node:os';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { ErrorCode, GasTownError } from '../errors.js';
import { coverLeakedFds, inheritableFds } from './inherited-fds.js';
import type { StdioArray } from './inherited-fds.js';
import { collector, stream } from './output.js';
import { reapGroup, signalQuietly } from './process-group.js';

export interface StepProcess {
  pid: number;
  /** Equal to `pid`: the step leads its own group, so `kill(-pgid)` reaches its children. */
  pgid: number;
}

export interface RunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
  /** Called once the process exists, e.g. to register it for an emergency stop. */
  onSpawn?: (proc: StepProcess) => void;
}

export interface StepResult {
  /** The step's exit code; 128 + n when signal n ended it (as a shell reports it). */
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  pid: number;
}

export interface SuperviseSpec {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** The child writes bwrap's `--info-fd` JSON on descriptor 3. */
  infoFd: boolean;
  /** Shown in the error when the process cannot start. */
  installHint?: string;
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal === null ? undefined : constants.signals[signal];
  return number === undefined ? 1 : 128 + number;
}

function closed(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal }));
  });
}

export async function supervise(spec: SuperviseSpec, options: RunOptions = {}): Promise<StepResult> {
  const leaked = inheritableFds();
  const devNull = leaked.length === 0 ? undefined : openSync('/dev/null', 'r+');
  try {
    const base: StdioArray = spec.infoFd ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'];
    const child = spawn(spec.file, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: coverLeakedFds(base, leaked, devNull ?? 0),
    });
    return await watch(child, spec, options);
  } finally {
    if (devNull !== undefined) closeSync(devNull);
  }
}

async function watch(child: ChildProcess, spec: SuperviseSpec, options: RunOptions): Promise<StepResult> {
  const ended = closed(child);
  const pid = child.pid;
  if (pid === undefined) {
    const cause = await ended.then(
      () => undefined,
      (error: unknown) => error,
    );
    const hint = spec.installHint === undefined ? '' : ` (${spec.installHint})`;
    throw new GasTownError(ErrorCode.io, `could not start ${spec.file}${hint}`, { cause });
  }
  const stdout = collector(options.onStdout);
  const stderr = collector(options.onStderr);
  stream(child.stdout, stdout.add);
  stream(child.stderr, stderr.add);
  let namespaceInit: number | undefined;
  let info = '';
  stream(child.stdio[3] as NodeJS.ReadableStream | null | undefined, (text) => {
    info += text;
    const match = /"child-pid"\s*:\s*(\d+)/.exec(info);
    if (match?.[1] !== undefined) namespaceInit ??= Number(match[1]);
  });
  let exited = false;
  // Background jobs of a step (outside a pid namespace) would otherwise outlive it and hold its
  // output pipes open.
  child.once('exit', () => {
    exited = true;
    signalQuietly(-pid, 'SIGKILL');
  });
  let timedOut = false;
  let aborted = false;
  const stop = (): void => {
    if (exited) return;
    // The namespace's init first: its death kills every process inside, and bwrap then exits on
    // its own after reaping it, so by the time we see the exit nothing of the step is left.
    signalQuietly(namespaceInit ?? -pid, 'SIGKILL');
  };
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs);
  const onAbort = (): void => {
    aborted = true;
    stop();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  options.onSpawn?.({ pid, pgid: pid });
  try {
    const { code, signal } = await ended;
    await reapGroup(pid);
    return {
      exitCode: exitCodeOf(code, signal),
      stdout: stdout.text(),
      stderr: stderr.text(),
      timedOut,
      aborted,
      pid,
    };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
