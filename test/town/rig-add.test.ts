import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runGt } from '../support/cli.js';
import { commitFile, gitIn, makeRemote, setRemoteHead } from '../support/git-fixtures.js';
import type { GitRemote } from '../support/git-fixtures.js';
import { removeTempDirs } from '../support/temp.js';
import { makeTown, rigRows } from '../support/town.js';

let remote: GitRemote;

beforeAll(async () => {
  const { scratch } = await makeTown('fixtures');
  remote = await makeRemote(scratch);
});
afterAll(removeTempDirs);

async function addRig(town: string, ...args: string[]) {
  return runGt(['--town', town, 'rig', 'add', ...args]);
}

describe('gt rig add', () => {
  it('mirrors a local path and checks the refinery out on the remote default branch', async () => {
    const { root } = await makeTown();
    const result = await addRig(root, 'app', remote.path, '--check', 'npm test');
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Added rig "app" (prefix ap)');

    const rig = join(root, 'app');
    expect(await gitIn(join(rig, 'repo.git'), 'rev-parse', '--is-bare-repository')).toBe('true');
    expect(await gitIn(join(rig, 'refinery'), 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(await readFile(join(rig, 'refinery', 'README.md'), 'utf8')).toBe('# remote\n');
    expect(parse(await readFile(join(rig, 'rig.yaml'), 'utf8'))).toEqual({
      name: 'app',
      git_url: remote.path,
      branch: 'main',
      check: 'npm test',
      merge_mode: 'local',
      prefix: 'ap',
      max_polecats: 4,
    });
    expect(rigRows(root)).toMatchObject([
      { name: 'app', prefix: 'ap', git_url: remote.path, branch: 'main', check_command: 'npm test' },
    ]);
    expect(await readdir(join(root, '.gt', 'tmp'))).toEqual([]);
  });

  it('accepts a file:// URL', async () => {
    const { root } = await makeTown();
    const result = await addRig(root, 'web-app', remote.fileUrl, '--json');
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      name: 'web-app',
      prefix: 'wa',
      git_url: remote.fileUrl,
      branch: 'main',
      check: null,
      merge_mode: 'local',
      path: join(root, 'web-app'),
    });
    expect(await gitIn(join(root, 'web-app', 'refinery'), 'log', '--format=%s', '-1')).toBe('first commit');
  });

  it('stores a relative local path as an absolute one', async () => {
    const { root } = await makeTown();
    const rel = relative(root, remote.path);
    const result = await runGt(['rig', 'add', 'app', rel], { cwd: root });
    expect(result.exitCode).toBe(0);
    expect(rigRows(root)[0]?.git_url).toBe(remote.path);
  });

  it('checks the refinery out on --branch', async () => {
    const { root } = await makeTown();
    const result = await addRig(root, 'app', remote.path, '--branch', 'dev', '--prefix', 'dv');
    expect(result.exitCode).toBe(0);
    expect(await gitIn(join(root, 'app', 'refinery'), 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('dev');
    expect(existsSync(join(root, 'app', 'refinery', 'DEV.md'))).toBe(true);
    expect(rigRows(root)).toMatchObject([{ name: 'app', prefix: 'dv', branch: 'dev' }]);
  });

  it('takes the default branch from the remote HEAD, whatever it is called', async () => {
    const { scratch, root } = await makeTown();
    const other = await makeRemote(scratch, 'trunky');
    await setRemoteHead(other, 'dev');
    expect((await addRig(root, 'app', other.path)).exitCode).toBe(0);
    expect(rigRows(root)[0]?.branch).toBe('dev');
    expect(await gitIn(join(root, 'app', 'refinery'), 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('dev');
  });

  it('leaves a mirror that fetches past the refinery and hosts more worktrees off origin/<branch>', async () => {
    const { scratch, root } = await makeTown();
    const moving = await makeRemote(scratch, 'moving');
    expect((await addRig(root, 'app', moving.path)).exitCode).toBe(0);
    await commitFile(moving.work, 'NEW.md', 'new\n', 'upstream change');
    await gitIn(moving.work, 'push', '--quiet', 'origin', 'main');

    const repo = join(root, 'app', 'repo.git');
    await gitIn(repo, 'fetch', '--quiet', 'origin');
    expect(await gitIn(repo, 'log', '--format=%s', '-1', 'origin/main')).toBe('upstream change');
    const polecat = join(root, 'app', 'polecats', 'nux');
    await gitIn(repo, 'worktree', 'add', '--quiet', '-b', 'polecat/nux/ap-1', polecat, 'origin/main');
    expect(existsSync(join(polecat, 'NEW.md'))).toBe(true);
  });
});

describe('gt rig list and remove', () => {
  it('lists every rig as JSON, sorted by name', async () => {
    const { root } = await makeTown();
    expect((await addRig(root, 'zeta', remote.path)).exitCode).toBe(0);
    expect(
      (await addRig(root, 'alpha', remote.fileUrl, '--branch', 'dev', '--check', 'make check')).exitCode,
    ).toBe(0);
    const result = await runGt(['--town', root, 'rig', 'list', '--json']);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        name: 'alpha',
        prefix: 'al',
        git_url: remote.fileUrl,
        branch: 'dev',
        check: 'make check',
        merge_mode: 'local',
        path: join(root, 'alpha'),
      },
      {
        name: 'zeta',
        prefix: 'ze',
        git_url: remote.path,
        branch: 'main',
        check: null,
        merge_mode: 'local',
        path: join(root, 'zeta'),
      },
    ]);
    const text = await runGt(['--town', root, 'rig', 'list']);
    expect(text.stdout).toContain('alpha  prefix al  dev');
  });

  it('removes the rig directory and its row', async () => {
    const { root } = await makeTown();
    expect((await addRig(root, 'app', remote.path)).exitCode).toBe(0);
    expect((await addRig(root, 'keep', remote.path)).exitCode).toBe(0);
    const result = await runGt(['--town', root, 'rig', 'remove', 'app']);
    expect(result.exitCode).toBe(0);
    expect(existsSync(join(root, 'app'))).toBe(false);
    expect(rigRows(root).map((rig) => rig.name)).toEqual(['keep']);
    expect(await readdir(join(root, '.gt', 'tmp'))).toEqual([]);
    expect(existsSync(join(root, 'keep', 'refinery', 'README.md'))).toBe(true);
  });

  it('refuses to remove an unknown rig', async () => {
    const { root } = await makeTown();
    const result = await runGt(['--town', root, 'rig', 'remove', 'ghost']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('unknown rig "ghost"');
  });
});
