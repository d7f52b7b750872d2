// The happy path: a step changes the worktree; afterwards we (the polecat) read, change and delete
// what it wrote and commit with git. As root the worktree belongs to the sandbox uid, so our git
// needs `sandboxGitArgs`; files we write between steps are handed back before the next step.
import { chmod, link, lstat, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultSandboxIds,
  prepareWorktreeForSandbox,
  runSandboxed,
  sandboxGitArgs,
} from '../../src/sandbox/index.js';
import { removeTempDirs } from '../support/temp.js';
import { makeSandboxTown, runningAsRoot } from './fixture.js';
import type { SandboxTown } from './fixture.js';

let town: SandboxTown;

beforeEach(async () => {
  town = await makeSandboxTown();
});
afterAll(removeTempDirs);

const identity = ['-c', 'user.name=Polecat', '-c', 'user.email=polecat@gastown.invalid'];

async function ourGit(worktree: string, ...args: string[]) {
  return execa('git', [...sandboxGitArgs(worktree), ...identity, ...args], { cwd: worktree, reject: false });
}

describe('worktree ownership', () => {
  it('lets us use, change, delete and commit what a step wrote', async () => {
    const step = await runSandboxed(
      town.spec(),
      'mkdir -p src && echo "made inside" > src/new.txt && echo "changed inside" >> README.md && echo tmp > gone.txt',
    );
    expect(step).toMatchObject({ exitCode: 0, stderr: '' });
    expect(await readFile(join(town.worktree, 'src', 'new.txt'), 'utf8')).toBe('made inside\n');
    await writeFile(join(town.worktree, 'src', 'new.txt'), 'changed outside\n');
    await rm(join(town.worktree, 'gone.txt'));

    const status = await ourGit(town.worktree, 'status', '--porcelain');
    expect(status).toMatchObject({ exitCode: 0, stdout: ' M README.md\n?? src/' });
    expect((await ourGit(town.worktree, 'add', '-A')).exitCode).toBe(0);
    expect((await ourGit(town.worktree, 'commit', '--quiet', '-m', 'step result')).exitCode).toBe(0);
    const shown = await ourGit(town.worktree, 'show', '--name-only', '--format=%s', 'HEAD');
    expect(shown.stdout).toBe('step result\n\nREADME.md\nsrc/new.txt');
    expect((await ourGit(town.worktree, 'status', '--porcelain')).stdout).toBe('');
  });

  it('hands files we wrote between steps to the sandbox user before the next step', async () => {
    await writeFile(join(town.worktree, 'ours.txt'), 'written by the polecat\n');
    const step = await runSandboxed(town.spec(), 'echo "and by the step" >> ours.txt && rm README.md');
    expect(step).toMatchObject({ exitCode: 0, stderr: '' });
    expect(await readFile(join(town.worktree, 'ours.txt'), 'utf8')).toBe(
      'written by the polecat\nand by the step\n',
    );
  });

  it.runIf(runningAsRoot)('gives the worktree to the sandbox uid, idempotently', async () => {
    expect(await prepareWorktreeForSandbox(town.worktree)).toBeGreaterThan(0);
    expect(await prepareWorktreeForSandbox(town.worktree)).toBe(0);
    const { uid, gid } = await lstat(join(town.worktree, 'README.md'));
    expect({ uid, gid }).toEqual(defaultSandboxIds);
    expect((await lstat(town.repo)).uid).toBe(0); // the bare mirror stays ours
  });

  it.runIf(runningAsRoot)('never hands over a file through a hard link planted in the worktree', async () => {
    await writeFile(town.looseSecret, 'root only\n');
    await chmod(town.looseSecret, 0o600);
    await link(town.looseSecret, join(town.worktree, 'planted'));
    await prepareWorktreeForSandbox(town.worktree);
    expect((await lstat(town.looseSecret)).uid).toBe(0);
    const step = await runSandboxed(town.spec(), 'cat planted; echo owned >> planted');
    expect(step.exitCode).not.toBe(0);
    expect(step.stdout).toBe('');
    expect(await readFile(town.looseSecret, 'utf8')).toBe('root only\n');
  });

  it.runIf(runningAsRoot)('needs safe.directory for our git once the step owns the worktree', async () => {
    await prepareWorktreeForSandbox(town.worktree);
    const plain = await execa('git', ['status'], { cwd: town.worktree, reject: false });
    expect(plain.exitCode).not.toBe(0);
    expect(plain.stderr).toContain('dubious ownership');
    expect((await ourGit(town.worktree, 'status')).exitCode).toBe(0);
  });

  it('refuses to prepare a relative path or the root', async () => {
    await expect(prepareWorktreeForSandbox('app/polecats/ace')).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(prepareWorktreeForSandbox('/')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
