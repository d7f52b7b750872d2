// Real towns for the daemon benches, made through the built `gt` the way a user would: small git
// repositories generated on the spot, `gt install`, `gt rig add`, `gt up` and `gt down`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessRun } from './timing.js';
import { timeProcess } from './timing.js';

const bin = fileURLToPath(new URL('../bin/gt.js', import.meta.url));

/** The identity every commit a bench makes by hand carries, whatever the machine's git config. */
export const gitIdentityEnv = {
  GIT_AUTHOR_NAME: 'Gas Town bench',
  GIT_AUTHOR_EMAIL: 'bench@gastown.invalid',
  GIT_COMMITTER_NAME: 'Gas Town bench',
  GIT_COMMITTER_EMAIL: 'bench@gastown.invalid',
} as const;

export function git(args: readonly string[], cwd: string): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...gitIdentityEnv },
  });
}

/** A tiny repository on `main` with one commit: a README and a source file. */
export function makeRepo(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'README.md'), '# bench rig\n');
  writeFileSync(join(dir, 'index.js'), 'export const answer = 42;\n');
  git(['init', '--quiet', '--initial-branch=main'], dir);
  git(['add', '--all'], dir);
  git(['commit', '--quiet', '-m', 'initial commit'], dir);
  return dir;
}

export class GtFailure extends Error {
  constructor(
    readonly args: readonly string[],
    readonly run: ProcessRun,
  ) {
    const said = (run.stderr.trim() || run.stdout.trim()).split('\n')[0] ?? '';
    super(`gt ${args.join(' ')} exited ${run.status ?? 'null'}: ${said}`);
  }
}

/** Runs `gt` with `args` against `town`; throws on a non-zero exit. */
export function gt(town: string, args: readonly string[]): ProcessRun {
  const all = ['--town', town, ...args];
  const run = timeProcess(process.execPath, [bin, ...all]);
  if (run.status !== 0) throw new GtFailure(all, run);
  return run;
}

export interface RigSpec {
  name: string;
  /** The repository the rig is added from. */
  source: string;
  check: string;
}

/** `gt install` a town at `root` and `gt rig add` each rig on its `main`. */
export function makeTown(root: string, rigs: readonly RigSpec[]): void {
  const install = timeProcess(process.execPath, [bin, 'install', root]);
  if (install.status !== 0) throw new GtFailure(['install', root], install);
  for (const rig of rigs) {
    gt(root, ['rig', 'add', rig.name, rig.source, '--branch', 'main', '--check', rig.check]);
  }
}

/** `gt up`: the daemon in the background; its pid. */
export function gtUp(root: string): number {
  const run = gt(root, ['--json', 'up']);
  const pid = (JSON.parse(run.stdout) as { pid?: unknown }).pid;
  if (typeof pid !== 'number') throw new Error(`gt up printed no pid: ${run.stdout.trim()}`);
  return pid;
}

/** `gt down`; if that fails, the daemon we started is killed by its pid, so none is left behind. */
export function gtDown(root: string, pid: number): void {
  try {
    gt(root, ['down']);
  } catch (error) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    throw error;
  }
}
