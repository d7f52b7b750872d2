import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateTown, rigForPath } from '../../src/town/index.js';
import { runGt } from '../support/cli.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';
import { makeTown } from '../support/town.js';

let town: string;
let elsewhere: string;

beforeAll(async () => {
  town = (await makeTown()).root;
  elsewhere = await makeTempDir('gt-elsewhere');
});
afterAll(removeTempDirs);

describe('finding the town', () => {
  it('uses --town from any directory', async () => {
    const result = await runGt(['--town', town, 'rig', 'list', '--json'], { cwd: elsewhere });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it('accepts --town after the subcommand too', async () => {
    const result = await runGt(['rig', 'list', '--town', town], { cwd: elsewhere });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('No rigs yet');
  });

  it('uses GT_TOWN when there is no --town', async () => {
    const result = await runGt(['rig', 'list', '--json'], { cwd: elsewhere, env: { GT_TOWN: town } });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it('walks up from the current directory', async () => {
    const deep = join(town, 'mayor', 'a', 'b');
    await mkdir(deep, { recursive: true });
    const result = await runGt(['rig', 'list', '--json'], { cwd: deep });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it('outside a town says so and how to make one', async () => {
    const result = await runGt(['rig', 'list'], { cwd: elsewhere });
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toContain(`not inside a Gas Town (no town.yaml in ${elsewhere} or any parent)`);
    expect(result.stderr).toContain('gt install <dir>');
    expect(result.stdout).toBe('');
  });

  it('reports the not_in_town code with --json', async () => {
    const result = await runGt(['rig', 'list', '--json'], { cwd: elsewhere });
    expect(JSON.parse(result.stderr)).toMatchObject({ code: 'not_in_town' });
  });

  it('rejects a --town that is not a town, naming the directory', async () => {
    const result = await runGt(['--town', elsewhere, 'rig', 'list'], { cwd: town });
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toContain(`${elsewhere} (from --town) is not a Gas Town`);
  });

  it('rejects a GT_TOWN that is not a town, naming the directory', async () => {
    const result = await runGt(['rig', 'list'], { cwd: town, env: { GT_TOWN: elsewhere } });
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toContain(`${elsewhere} (from GT_TOWN) is not a Gas Town`);
  });
});

describe('locateTown', () => {
  it('prefers --town over GT_TOWN over the current directory', async () => {
    const other = (await makeTown('other')).root;
    expect(locateTown({ flag: other, env: { GT_TOWN: town }, cwd: town })).toBe(other);
    expect(locateTown({ env: { GT_TOWN: other }, cwd: town })).toBe(other);
    expect(locateTown({ env: {}, cwd: join(town, 'mayor') })).toBe(town);
  });

  it('resolves a relative --town against cwd', () => {
    expect(locateTown({ flag: 'town', env: {}, cwd: join(town, '..') })).toBe(town);
  });
});

describe('rigForPath', () => {
  it('names the rig only for paths inside a rig directory', async () => {
    const town = (await makeTown('rigs')).root;
    await mkdir(join(town, 'app', 'refinery', 'src'), { recursive: true });
    await mkdir(join(town, 'loose'), { recursive: true });
    await writeFile(join(town, 'app', 'rig.yaml'), 'name: app\n');
    expect(rigForPath(town, join(town, 'app', 'refinery', 'src'))).toBe('app');
    expect(rigForPath(town, join(town, 'app'))).toBe('app');
    expect(rigForPath(town, join(town, 'loose'))).toBeUndefined();
    expect(rigForPath(town, town)).toBeUndefined();
    expect(rigForPath(town, elsewhere)).toBeUndefined();
  });
});
