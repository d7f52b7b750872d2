// A small real town for sandbox tests: a rig with a bare mirror and two polecat worktrees (real git
// worktrees), a second rig whose checkout serves as a context rig, and town secrets (database, key,
// a loose file) that no step may see. Plus helpers to look for leftover processes from outside.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { SandboxSpec } from '../../src/sandbox/index.js';
import { gitIn, makeRemote } from '../support/git-fixtures.js';
import { makeTempDir } from '../support/temp.js';

export interface SandboxTown {
  root: string;
  /** `<root>/app/repo.git`, the rig's bare mirror. */
  repo: string;
  /** `<root>/app/polecats/ace`, the worktree steps run in. */
  worktree: string;
  /** `<root>/app/polecats/bee`, another polecat's worktree. */
  otherWorktree: string;
  /** `<root>/lib/refinery`, another rig's checkout, offered read-only as context rig `lib`. */
  contextRig: string;
  db: string;
  key: string;
  looseSecret: string;
  spec(overrides?: Partial<SandboxSpec>): SandboxSpec;
}

export const townSecret = 'town-secret-7f3a';

export async function makeSandboxTown(): Promise<SandboxTown> {
  const scratch = await makeTempDir('gt-sbx-remote');
  const remote = await makeRemote(scratch, 'app');
  const root = await makeTempDir('gt-sbx-town');
  const repo = join(root, 'app', 'repo.git');
  await execa('git', ['clone', '--quiet', '--bare', remote.path, repo]);
  const worktree = join(root, 'app', 'polecats', 'ace');
  const otherWorktree = join(root, 'app', 'polecats', 'bee');
  await gitIn(repo, 'worktree', 'add', '--quiet', '-b', 'polecat/ace/ap-1', worktree, 'main');
  await gitIn(repo, 'worktree', 'add', '--quiet', '-b', 'polecat/bee/ap-2', otherWorktree, 'main');
  const contextRig = join(root, 'lib', 'refinery');
  await execa('git', ['clone', '--quiet', remote.path, contextRig]);
  await mkdir(join(root, '.gt', 'keys'), { recursive: true });
  const db = join(root, '.gt', 'town.db');
  const key = join(root, '.gt', 'keys', 'town.key');
  const looseSecret = join(root, 'secret.txt');
  await writeFile(db, `SQLite format 3\0${townSecret}`);
  await writeFile(key, `${townSecret}-key`);
  await writeFile(looseSecret, townSecret);
  await writeFile(join(root, 'town.yaml'), `name: test\n# ${townSecret}\n`);
  return {
    root,
    repo,
    worktree,
    otherWorktree,
    contextRig,
    db,
    key,
    looseSecret,
    spec: (overrides = {}) => ({
      worktree,
      townRoot: root,
      network: false,
      contextRigs: [{ name: 'lib', path: contextRig }],
      ...overrides,
    }),
  };
}

export const runningAsRoot = process.getuid?.() === 0;

/** Processes (seen from outside, zombies excluded) whose command line contains `marker`. */
export async function processesWith(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').join(' ').includes(marker)) found.push(Number(name));
  }
  return found;
}

/** A `sleep` duration unlikely to appear in any other command line on this machine. */
export function uniqueSleep(): string {
  return String(800_000 + Math.floor(Math.random() * 100_000));
}
