import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/open.js';
import { addRig } from '../../src/town/index.js';
import type { RigRow } from '../../src/town/index.js';
import { runGt } from '../support/cli.js';
import { makeRemote } from '../support/git-fixtures.js';
import type { GitRemote } from '../support/git-fixtures.js';
import { removeTempDirs } from '../support/temp.js';
import { makeTown, rigRows } from '../support/town.js';

let remote: GitRemote;

beforeAll(async () => {
  const { scratch } = await makeTown('fixtures');
  remote = await makeRemote(scratch);
});
afterAll(removeTempDirs);

/** A town, what its root holds and which rigs it has, so a failed add can prove it left nothing. */
async function townWith(...rigs: string[][]) {
  const { root, scratch } = await makeTown();
  for (const args of rigs) expect((await runGt(['--town', root, 'rig', 'add', ...args])).exitCode).toBe(0);
  const entries = await readdir(root);
  const rows = rigRows(root);
  const expectUnchanged = async (): Promise<void> => {
    expect(await readdir(root)).toEqual(entries);
    expect(rigRows(root)).toEqual<RigRow[]>(rows);
    const tmp = join(root, '.gt', 'tmp');
    expect(existsSync(tmp) ? await readdir(tmp) : []).toEqual([]);
  };
  return { root, scratch, expectUnchanged };
}

async function add(root: string, ...args: string[]) {
  return runGt(['--town', root, 'rig', 'add', ...args]);
}

describe('gt rig add refuses, leaving no directory and no row behind', () => {
  it.each([
    ['Bad', 'invalid rig name "Bad"'],
    ['9lives', 'invalid rig name "9lives"'],
    ['.hidden', 'invalid rig name ".hidden": names starting with "." are reserved'],
    ['mayor', 'invalid rig name "mayor": it is reserved'],
    ['hq', 'invalid rig name "hq": it is reserved'],
    ['a'.repeat(41), `invalid rig name "${'a'.repeat(41)}"`],
  ])('a bad name: %s', async (name, message) => {
    const town = await townWith();
    const result = await add(town.root, name, remote.path);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
    await town.expectUnchanged();
  });

  it('a duplicate name', async () => {
    const town = await townWith(['app', remote.path]);
    const result = await add(town.root, 'app', remote.fileUrl, '--prefix', 'zz');
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain('rig "app" already exists');
    await town.expectUnchanged();
    expect(existsSync(join(town.root, 'app', 'refinery', 'README.md'))).toBe(true);
  });

  it('a duplicate prefix, naming the rig that holds it', async () => {
    const town = await townWith(['app', remote.path]);
    const result = await add(town.root, 'other', remote.path, '--prefix', 'ap');
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain('prefix "ap" is already used by rig "app"');
    await town.expectUnchanged();
  });

  it.each([
    ['hq', 'prefix "hq" is reserved for town-level beads'],
    ['A1', 'invalid prefix "A1"'],
    ['x', 'invalid prefix "x"'],
    ['toolongpfx', 'invalid prefix "toolongpfx"'],
  ])('a bad prefix: %s', async (prefix, message) => {
    const town = await townWith();
    const result = await add(town.root, 'app', remote.path, '--prefix', prefix);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
    await town.expectUnchanged();
  });

  it('an unreachable local path, naming it', async () => {
    const town = await townWith();
    const missing = join(town.scratch, 'no-such-repo.git');
    const result = await add(town.root, 'app', missing);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`cannot clone ${missing} for rig "app"`);
    await town.expectUnchanged();
  });

  it('an unreachable file:// URL, naming it', async () => {
    const town = await townWith();
    const url = 'file:///nonexistent/gastown/repo.git';
    const result = await add(town.root, 'app', url, '--json');
    expect(result.exitCode).not.toBe(0);
    expect(JSON.parse(result.stderr)).toMatchObject({ code: 'git_failed' });
    expect(result.stderr).toContain(url);
    await town.expectUnchanged();
  });

  it('a missing branch, naming it', async () => {
    const town = await townWith();
    const result = await add(town.root, 'app', remote.path, '--branch', 'nope');
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`branch "nope" not found in ${remote.path}`);
    await town.expectUnchanged();
  });

  it('a remote with no commits on its default branch', async () => {
    const town = await townWith();
    const empty = join(town.scratch, 'empty.git');
    await mkdir(empty);
    await execa('git', ['init', '--quiet', '--bare', '--initial-branch=main', empty]);
    const result = await add(town.root, 'app', empty);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('branch "main" not found');
    await town.expectUnchanged();
  });

  it('a name already taken by a directory that is not a rig, which stays untouched', async () => {
    const town = await townWith();
    await mkdir(join(town.root, 'notes'));
    await writeFile(join(town.root, 'notes', 'todo.md'), 'mine\n');
    const result = await add(town.root, 'notes', remote.path);
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain(`${join(town.root, 'notes')} already exists and is not a rig`);
    expect(await readdir(join(town.root, 'notes'))).toEqual(['todo.md']);
    expect(rigRows(town.root)).toEqual([]);
  });

  it('a failure after git succeeded removes the rig directory it had placed', async () => {
    const town = await townWith();
    const db = openDb(join(town.root, '.gt', 'town.db'));
    try {
      db.exec(
        "CREATE TEMP TRIGGER refuse BEFORE INSERT ON rigs BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
      );
      await expect(addRig(town.root, db, { name: 'app', url: remote.path })).rejects.toThrow('disk on fire');
    } finally {
      db.close();
    }
    await town.expectUnchanged();
  });
});
