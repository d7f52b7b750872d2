// The non-root path: when the town runs as an ordinary user, bwrap runs unprivileged in a user
// namespace and no setpriv is needed. Run as root here, so we become another user to try it.
import { chmod, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSandboxArgv, detectSandboxHost, prepareWorktreeForSandbox } from '../../src/sandbox/index.js';
import { removeTempDirs } from '../support/temp.js';
import { makeSandboxTown, runningAsRoot, townSecret } from './fixture.js';
import type { SandboxTown } from './fixture.js';

const user = { uid: 61001, gid: 61001 };
let town: SandboxTown;

beforeAll(async () => {
  if (!runningAsRoot) return;
  town = await makeSandboxTown();
  await chmod(town.root, 0o755); // bwrap, running as the user, must reach the worktree to bind it
  await prepareWorktreeForSandbox(town.worktree, user);
});
afterAll(removeTempDirs);

async function asUser(command: string) {
  const host = { ...detectSandboxHost(), runningAsRoot: false };
  const { file, args } = buildSandboxArgv(town.spec(), command, { host });
  const become = [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups'];
  const drop = ['--inh-caps=-all', '--bounding-set=-all'];
  return execa('setpriv', [...become, ...drop, '--', file, ...args], {
    reject: false,
    stdin: 'ignore',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    extendEnv: false,
  });
}

describe.runIf(runningAsRoot)('unprivileged bubblewrap (not root)', () => {
  it('runs as the user, writes in the worktree, and the file is the user’s outside', async () => {
    const result = await asUser('id -u; echo made > made.txt');
    expect(result).toMatchObject({ exitCode: 0, stdout: `${user.uid}` });
    expect(await readFile(join(town.worktree, 'made.txt'), 'utf8')).toBe('made\n');
    expect((await stat(join(town.worktree, 'made.txt'))).uid).toBe(user.uid);
  });

  it('cannot write the system, read the town, nest a user namespace, or see other processes', async () => {
    for (const command of [
      'touch /usr/gt-unprivileged',
      `cat ${town.db}`,
      `grep -r ${townSecret} ${town.root}`,
      'unshare -r true',
    ]) {
      const result = await asUser(command);
      expect(result.exitCode, command).not.toBe(0);
      expect(result.stdout, command).not.toContain(townSecret);
    }
    const listing = await asUser('for p in /proc/[0-9]*; do read -r name < "$p/comm"; echo "$name"; done');
    expect(listing.stdout.split('\n').sort()).toEqual(['bwrap', 'sh']);
  });

  it('holds no capabilities and has only a loopback interface', async () => {
    const status = (await asUser('cat /proc/self/status')).stdout;
    expect(status).toMatch(/^CapEff:\s+0+$/m);
    expect(status).toMatch(/^CapBnd:\s+0+$/m);
    const interfaces = (await asUser('cat /proc/net/dev')).stdout.match(/^\s*[^\s:|]+:/gm);
    expect(interfaces?.map((name) => name.trim())).toEqual(['lo:']);
  });
});
