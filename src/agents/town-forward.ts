// The session's side of the forwarding shims. An agent boxed in the sandbox cannot see the town, so
// its `bd` and `gt` are shims that post their argv, cwd and stdin to the session's loopback server
// (POST /exec, with the session's token). Here the session checks the command against the polecat's
// allowlist (town-forward-policy.ts), runs `node gt.js <argv>` on the host — an argv, never a shell —
// in the worktree with the session's town and the polecat as actor, and answers stdout, stderr and
// the exit code, which the shim reproduces. Time and output are bounded; every forwarded command,
// refused ones too, is recorded as `agent.town_command`. Any runtime with a loopback server can
// mount `townForwardRoute` (claude-code does, on its hook server).
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { constants } from 'node:os';
import { isAbsolute, relative } from 'node:path';
import { z } from 'zod';
import { checkTownCommand, forwardShims } from './town-forward-policy.js';

/** Where a loopback server serves forwarded commands. */
export const townForwardPath = '/exec';

export const townCommandRequest = z.strictObject({
  shim: z.enum(forwardShims),
  args: z.array(z.string()).max(4096),
  cwd: z.string().optional(),
  /** Base64; only sent when the shim's stdin was a pipe or a file. */
  stdin: z.string().optional(),
});
export type TownCommandRequest = z.output<typeof townCommandRequest>;

export interface TownCommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What `agent.town_command` records. */
export interface TownCommandRecord {
  town: string;
  actor: string;
  session?: string;
  bead?: string;
  argv: string[];
  exitCode: number;
  refused?: string;
}

export interface TownForwardOptions {
  /** The session's environment (`SessionStart.env`): GT_TOWN, GT_ACTOR, GT_SESSION, GT_BEAD. */
  env: Record<string, string>;
  worktree: string;
  /** The built CLI (`dist/bin/gt.js`); asked at each command, so a missing build fails only that. */
  entry: () => string;
  node?: string;
  timeoutMs?: number;
  /** Per stream; the rest is cut with a note. */
  maxOutputBytes?: number;
  record: (record: TownCommandRecord) => void;
}

export const defaultForwardTimeoutMs = 120_000;
export const defaultForwardOutputBytes = 1024 * 1024;
const maxStdinBytes = 4 * 1024 * 1024;
/** What a command that ran out of time exits with, as timeout(1) does. */
export const timedOutExit = 124;

function within(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The agent's cwd when it is inside the worktree (the sandbox shows the worktree at its own path). */
function cwdOf(worktree: string, asked: string | undefined): string {
  const root = realpathSync(worktree);
  if (asked === undefined || !isAbsolute(asked)) return root;
  try {
    const real = realpathSync(asked);
    return within(real, root) ? real : root;
  } catch {
    return root;
  }
}

class Capped {
  private chunks: Buffer[] = [];
  private size = 0;
  private cut = false;
  constructor(private readonly limit: number) {}
  add(chunk: Buffer): void {
    const room = this.limit - this.size;
    if (room <= 0) {
      this.cut = true;
      return;
    }
    this.chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    this.size += Math.min(room, chunk.length);
    if (chunk.length > room) this.cut = true;
  }
  text(): string {
    const body = Buffer.concat(this.chunks).toString('utf8');
    return this.cut ? `${body}\n[gt: output cut at ${this.limit} bytes]\n` : body;
  }
}

function runGt(
  options: TownForwardOptions,
  argv: string[],
  cwd: string,
  stdin: Buffer,
): Promise<TownCommandResult> {
  const limit = options.maxOutputBytes ?? defaultForwardOutputBytes;
  const timeoutMs = options.timeoutMs ?? defaultForwardTimeoutMs;
  // The session's own environment, not a scrubbed one: the child's ledger redacts the secret values
  // it holds, so a key the agent pastes into a bead never reaches the ledger in clear.
  const child = spawn(options.node ?? process.execPath, [options.entry(), ...argv], {
    cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const out = new Capped(limit);
  const err = new Capped(limit);
  child.stdout.on('data', (chunk: Buffer) => out.add(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.add(chunk));
  child.stdin.on('error', () => undefined);
  child.stdin.end(stdin);
  let timedOut = false;
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup('SIGTERM');
    setTimeout(() => killGroup('SIGKILL'), 2000).unref();
  }, timeoutMs);
  return new Promise((resolve) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ exitCode: 1, stdout: '', stderr: `gt: could not run the town command: ${error.message}\n` });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const note = timedOut ? `gt: stopped after ${timeoutMs / 1000} s\n` : '';
      resolve({
        exitCode: timedOut ? timedOutExit : (code ?? 128 + (signal === null ? 0 : constants.signals[signal])),
        stdout: out.text(),
        stderr: err.text() + note,
      });
    });
  });
}

/** Runs one forwarded command for the session; never throws (a failure is the command's). */
export async function runTownCommand(
  options: TownForwardOptions,
  request: TownCommandRequest,
): Promise<TownCommandResult> {
  const town = options.env['GT_TOWN'];
  const actor = options.env['GT_ACTOR'];
  const argv = request.shim === 'bd' ? ['bd', ...request.args] : request.args;
  if (town === undefined || actor === undefined) {
    return { exitCode: 2, stdout: '', stderr: 'gt: this session has no town (GT_TOWN, GT_ACTOR)\n' };
  }
  const check = checkTownCommand(request.shim, request.args);
  let result: TownCommandResult;
  if (!check.ok) result = { exitCode: 2, stdout: '', stderr: `gt: ${check.reason}\n` };
  else {
    const stdin = Buffer.from(request.stdin ?? '', 'base64');
    result =
      stdin.length > maxStdinBytes
        ? { exitCode: 2, stdout: '', stderr: `gt: stdin larger than ${maxStdinBytes} bytes\n` }
        : await runGt(options, check.argv, cwdOf(options.worktree, request.cwd), stdin);
  }
  try {
    options.record({
      town,
      actor,
      ...(options.env['GT_SESSION'] === undefined ? {} : { session: options.env['GT_SESSION'] }),
      ...(options.env['GT_BEAD'] === undefined ? {} : { bead: options.env['GT_BEAD'] }),
      argv,
      exitCode: result.exitCode,
      ...(check.ok ? {} : { refused: check.reason }),
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    result = { ...result, stderr: `${result.stderr}gt: the town command was not recorded: ${why}\n` };
  }
  return result;
}

/** A loopback route: the parsed request in, the command's result out. */
export function townForwardRoute(
  options: TownForwardOptions,
): (body: unknown) => Promise<Record<string, unknown>> {
  return async (body) => ({ ...(await runTownCommand(options, townCommandRequest.parse(body))) });
}
