// The sandbox freezes the worktree's `.git` and hides the rig's repository: a step cannot rewrite,
// rename over or delete the pointer (it is a read-only mount point), cannot see `repo.git` or the
// town, cannot hard-link a file from outside into the worktree, and a symlink it makes to a host
// file is only ever stored as a symlink by the town's git (never read through).
import { existsSync, lstatSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, requireWorkTree } from '../../src/git/index.js';
import { runSandboxed } from '../../src/sandbox/index.js';
import { buildSandboxArgv } from '../../src/sandbox/index.js';
import { gitIn } from '../support/git-fixtures.js';
import { removeTempDirs } from '../support/temp.js';
import { makeSandboxTown, townSecret } from './fixture.js';
import type { SandboxTown } from './fixture.js';

let town: SandboxTown;
let pointer: string;

beforeAll(async () => {
  town = await makeSandboxTown();
  pointer = await readFile(join(town.worktree, '.git'), 'utf8');
});
afterAll(removeTempDirs);

async function step(command: string) {
  const result = await runSandboxed(town.spec(), command);
  return { ...result, all: result.stdout + result.stderr };
}

describe("the worktree's .git inside the sandbox", () => {
  it('is bound read-only onto itself right after the worktree', () => {
    const { args } = buildSandboxArgv(town.spec(), 'true');
    const at = args.indexOf(town.worktree);
    expect(args.slice(at - 1, at + 5)).toEqual([
      '--bind',
      town.worktree,
      town.worktree,
      '--ro-bind',
      join(town.worktree, '.git'),
      join(town.worktree, '.git'),
    ]);
  });

  it('cannot be rewritten, appended to, renamed over, renamed away or deleted', async () => {
    expect((await step('cat .git')).stdout).toBe(pointer); // control: readable
    for (const command of [
      "printf 'gitdir: .g\\n' > .git",
      'echo x >> .git',
      "printf 'gitdir: .g\\n' > p && mv -f p .git",
      'mv .git moved',
      'rm -f .git',
      'rm -rf .git',
      'ln -sf /tmp .git',
      'truncate -s 0 .git',
      // Nor through another name: a hard link crosses the mount (EXDEV), a symlink lands on it.
      'ln .git hard && echo x >> hard',
      'ln -s .git soft && echo x >> soft',
      'chmod 666 .git',
    ]) {
      const result = await step(command);
      expect(result.exitCode, command).not.toBe(0);
      expect(await readFile(join(town.worktree, '.git'), 'utf8'), command).toBe(pointer);
      expect(lstatSync(join(town.worktree, '.git')).isFile(), command).toBe(true);
    }
    expect(existsSync(join(town.worktree, 'moved'))).toBe(false);
  });

  it('sees neither repo.git nor the town', async () => {
    for (const target of [town.repo, join(town.repo, 'worktrees'), join(town.root, '.gt')]) {
      expect((await step(`ls ${target}`)).exitCode, target).not.toBe(0);
    }
    // The town's root is an empty tmpfs but for the path down to the worktree.
    expect((await step(`ls -A ${town.root}`)).stdout.trim().split('\n')).toEqual(['app']);
    expect((await step(`ls -A ${town.root}/app`)).stdout).not.toContain('repo.git');
    // The admin directory the pointer names is not there either: git inside finds no repository.
    const status = await step('git status');
    expect(status.exitCode).not.toBe(0);
    expect((await step(`cat ${town.repo}/config`)).all).not.toContain('[core]');
  });

  it('cannot hard-link a file from outside the worktree into it', async () => {
    for (const source of ['/etc/passwd', '/usr/bin/env', `${town.root}/secret.txt`]) {
      const result = await step(`ln ${source} hard-link`);
      expect(result.exitCode, source).not.toBe(0);
      expect(existsSync(join(town.worktree, 'hard-link')), source).toBe(false);
    }
  });

  it('makes symlinks to host files that the town commits as links, never reading through them', async () => {
    const secret = town.looseSecret;
    expect((await step(`ln -s ${secret} leak && ln -s /etc/shadow shadow && echo ok > plain`)).exitCode).toBe(
      0,
    );
    const tree = await requireWorkTree(town.repo, town.worktree);
    const saved = await commitAll({
      tree,
      branch: 'polecat/ace/ap-1',
      author: { name: 't', email: 't@example.invalid' },
      message: 'links',
      trailers: { 'Gas-Town-Bead': 'ap-1' },
    });
    expect(saved.commit).toBeDefined();
    const listing = await gitIn(town.repo, 'ls-tree', 'polecat/ace/ap-1');
    expect(listing).toMatch(/^120000 blob \S+\tleak$/m);
    expect(listing).toMatch(/^120000 blob \S+\tshadow$/m);
    expect(await gitIn(town.repo, 'cat-file', '-p', 'polecat/ace/ap-1:leak')).toBe(secret);
    // Nothing of the secret's content reached the repository's objects.
    const blobs = await gitIn(town.repo, 'rev-list', '--objects', '--all');
    for (const line of blobs.split('\n')) {
      const sha = line.split(' ')[0]!;
      const type = await gitIn(town.repo, 'cat-file', '-t', sha);
      if (type === 'blob') expect(await gitIn(town.repo, 'cat-file', '-p', sha)).not.toContain(townSecret);
    }
    expect(await readdir(town.worktree)).toContain('leak');
  });
});
