// The escape suite: a step tries to get out of the sandbox in every way we promise it cannot. Each
// attempt must fail inside, and where it would leave a trace outside, the trace must be missing.
// A positive control next to each attempt proves the sandbox itself works.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextMountPath, defaultSandboxIds, runSandboxed } from '../../src/sandbox/index.js';
import { removeTempDirs } from '../support/temp.js';
import { makeSandboxTown, runningAsRoot, townSecret } from './fixture.js';
import type { SandboxTown } from './fixture.js';

let town: SandboxTown;
const marker = `gt-escape-${process.pid}-${Date.now()}`;

beforeAll(async () => {
  town = await makeSandboxTown();
});
afterAll(removeTempDirs);

async function step(command: string) {
  const result = await runSandboxed(town.spec(), command);
  return { ...result, all: result.stdout + result.stderr };
}

describe('escape suite', () => {
  it('can write in the worktree (control) but not in /usr, the town, or another worktree', async () => {
    expect((await step(`echo ok > ${marker}`)).exitCode).toBe(0);
    expect(await readFile(join(town.worktree, marker), 'utf8')).toBe('ok\n');
    for (const target of [
      join('/usr', marker),
      join('/etc', marker),
      join(town.root, marker),
      join(town.root, '.gt', marker),
      join(town.otherWorktree, marker),
      join(town.repo, marker),
    ]) {
      expect((await step(`echo x > ${target}`)).exitCode, target).not.toBe(0);
      expect(existsSync(target), target).toBe(false);
    }
  });

  it('cannot change another worktree or a context rig', async () => {
    const before = await readFile(join(town.otherWorktree, 'README.md'), 'utf8');
    const context = contextMountPath(town.worktree, 'lib');
    expect((await step(`cat ${context}/README.md`)).stdout).toBe(before); // control: readable
    expect((await step(`echo x >> ${context}/README.md`)).exitCode).not.toBe(0);
    expect((await step(`echo x >> ${town.otherWorktree}/README.md`)).exitCode).not.toBe(0);
    expect((await step(`ls ${town.otherWorktree}`)).exitCode).not.toBe(0);
    expect(await readFile(join(town.otherWorktree, 'README.md'), 'utf8')).toBe(before);
    expect(await readFile(join(town.contextRig, 'README.md'), 'utf8')).toBe(before);
  });

  it('cannot remount a read-only path writable, not even from a user namespace of its own', async () => {
    const context = contextMountPath(town.worktree, 'lib');
    for (const command of [
      `mount -o remount,rw /usr && touch /usr/${marker}`,
      `mount -o remount,rw ${context} && touch ${context}/${marker}`,
      `unshare -rm sh -c 'mount -o remount,rw /usr && touch /usr/${marker}'`,
      `unshare -rm sh -c 'umount /etc/shadow && cat /etc/shadow'`,
    ]) {
      const result = await step(command);
      expect(result.exitCode, command).not.toBe(0);
      expect(result.stdout, command).not.toMatch(/^root:/m);
    }
    expect(existsSync(join('/usr', marker))).toBe(false);
    expect(existsSync(join(town.contextRig, marker))).toBe(false);
  });

  it('cannot read /etc/shadow, though /etc/passwd is there', async () => {
    expect((await step('cat /etc/passwd')).stdout).toMatch(/^root:/m);
    for (const file of ['/etc/shadow', '/etc/gshadow']) {
      const result = await step(`cat ${file}`);
      expect(result.stdout, file).toBe('');
    }
  });

  it('sees no home directories; HOME is its own /tmp, holding only the path to the worktree', async () => {
    expect((await step('ls -A /root')).exitCode).not.toBe(0);
    expect((await step('ls -A /home')).exitCode).not.toBe(0);
    expect((await step('test -d ~/.ssh')).exitCode).not.toBe(0);
    const skeleton = town.root.startsWith('/tmp/') ? `${town.root.split('/')[2]}\n` : '';
    expect((await step('echo "$HOME"; ls -A "$HOME"')).stdout).toBe(`/tmp\n${skeleton}`);
  });

  it('sees nothing of the town but the path down to its worktree and context rigs', async () => {
    for (const file of [town.db, town.key, town.looseSecret, join(town.root, 'town.yaml')]) {
      expect((await step(`cat ${file}`)).exitCode, file).not.toBe(0);
    }
    expect((await step(`ls -A ${town.root}`)).stdout).toBe('app\n');
    expect((await step(`ls -A ${join(town.root, 'app')}`)).stdout).toBe('polecats\n');
    expect((await step(`ls -A ${join(town.root, 'app', 'polecats')}`)).stdout).toBe('.context\nace\n');
    const search = await step(
      `grep -rl ${townSecret} / --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev --exclude-dir=usr 2>/dev/null; true`,
    );
    expect(search.stdout).toBe('');
  });

  it('cannot signal our process or see any process outside its own', async () => {
    expect((await step(`kill -0 ${process.pid}`)).exitCode).not.toBe(0);
    // Shell builtins only, so the listing starts no process of its own.
    const listing = await step('for p in /proc/[0-9]*; do read -r name < "$p/comm"; echo "$name"; done');
    expect(listing.exitCode).toBe(0);
    expect(listing.stdout.trim().split('\n').sort()).toEqual(['bwrap', 'sh']);
  });

  it('runs with no capabilities, no new privileges, as the sandbox user', async () => {
    const expected = runningAsRoot ? defaultSandboxIds.uid : process.getuid?.();
    expect((await step('id -u')).stdout).toBe(`${expected}\n`);
    const status = (await step('cat /proc/self/status')).stdout;
    for (const field of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) {
      expect(status, field).toMatch(new RegExp(`^${field}:\\s+0+$`, 'm'));
    }
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
  });

  it('inherits no open descriptor of ours beyond stdin, stdout and stderr', async () => {
    const listing = (await step('ls -l /proc/self/fd')).stdout;
    const fds = [...listing.matchAll(/ (\d+) -> (.+)$/gm)].map(([, fd, target]) => ({ fd, target }));
    expect(fds.map(({ fd }) => fd)).toEqual(expect.arrayContaining(['0', '1', '2']));
    const others = fds.filter(({ fd }) => !['0', '1', '2'].includes(fd!));
    for (const { fd, target } of others) expect(target, fd).toMatch(/^(\/dev\/null|\/proc\/\d+\/fd)$/);
  });

  it('cannot open the database through /proc of a process outside', async () => {
    const result = await step(`cat /proc/${process.pid}/root${town.db}`);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).not.toContain(townSecret);
  });
});
