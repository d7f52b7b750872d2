// Context rigs are brought to their target's latest head before a session: the rig's repo.git is
// fetched from its remote, the head is the remote's (push, pr) or the rig's own branch unless the
// remote is strictly ahead (local), and that commit is checked out once as a snapshot with no .git.
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { prepareContextRigs } from '../../src/roles/polecat/context-rigs.js';
import type { TownServices } from '../../src/town/services.js';
import { openTownServices } from '../../src/town/services.js';
import { commitFile, gitIn, makeRemote } from '../support/git-fixtures.js';
import type { GitRemote } from '../support/git-fixtures.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

let town: RigTown;
let services: TownServices;
let api: GitRemote;

beforeEach(async () => {
  town = await makeRigTown('dashboard');
  api = await makeRemote(town.scratch, 'api');
  await town.ok('rig', 'add', 'api', api.path, '--branch', 'main');
  services = openTownServices(town.root, { env: process.env });
});
afterEach(() => services.close());
afterAll(removeTempDirs);

const repo = () => join(town.root, 'api', 'repo.git');

async function setMergeMode(mode: string): Promise<void> {
  const path = join(town.root, 'api', 'rig.yaml');
  const config = parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  await writeFile(path, stringify({ ...config, merge_mode: mode }));
}

describe('prepareContextRigs', () => {
  it('checks out the remote head that moved after the rig was added, without a .git', async () => {
    const first = await gitIn(api.work, 'rev-parse', 'HEAD');
    const [before] = await prepareContextRigs(services, town.root, ['api'], 'dashboard');
    expect(before).toMatchObject({ name: 'api', branch: 'main', head: first });
    expect(before?.note).toBeUndefined();
    expect(before?.source).toBe(join(town.root, 'api', 'context', first));

    await commitFile(api.work, 'routes.js', 'export const routes = ["/accounts"];\n', 'routes');
    await gitIn(api.work, 'push', '--quiet', 'origin', 'main');
    const latest = await gitIn(api.work, 'rev-parse', 'HEAD');
    // local mode: the rig's own main is behind; the remote is strictly ahead, so it is the latest.
    const [after] = await prepareContextRigs(services, town.root, ['api', 'api', 'dashboard'], 'dashboard');
    expect(after?.head).toBe(latest);
    expect(readFileSync(join(after?.source ?? '', 'routes.js'), 'utf8')).toContain('/accounts');
    expect(readFileSync(join(after?.source ?? '', 'README.md'), 'utf8')).toBe('# api\n');
    expect(existsSync(join(after?.source ?? '', '.git'))).toBe(false);
    // The older snapshot stays for sessions still reading it.
    expect(existsSync(before?.source ?? '')).toBe(true);
  });

  it('in local mode keeps the rig’s own branch when it is ahead of the remote', async () => {
    // A merge the Refinery made locally, which the remote never saw.
    const own = await gitIn(
      repo(),
      'commit-tree',
      '-p',
      'refs/heads/main',
      '-m',
      'local merge',
      'main^{tree}',
    );
    await gitIn(repo(), 'update-ref', 'refs/heads/main', own);
    const [prepared] = await prepareContextRigs(services, town.root, ['api'], 'dashboard');
    expect(prepared?.head).toBe(own);
  });

  it('in pr mode takes the remote’s branch', async () => {
    await setMergeMode('pr');
    const own = await gitIn(repo(), 'commit-tree', '-p', 'refs/heads/main', '-m', 'stale', 'main^{tree}');
    await gitIn(repo(), 'update-ref', 'refs/heads/main', own);
    const [prepared] = await prepareContextRigs(services, town.root, ['api'], 'dashboard');
    expect(prepared?.head).toBe(await gitIn(api.work, 'rev-parse', 'HEAD'));
  });

  it('says so when the remote cannot be fetched, and shows the last fetched head', async () => {
    await gitIn(repo(), 'remote', 'set-url', 'origin', join(town.scratch, 'gone.git'));
    const [prepared] = await prepareContextRigs(services, town.root, ['api'], 'dashboard');
    expect(prepared?.head).toBe(await gitIn(api.work, 'rev-parse', 'HEAD'));
    expect(prepared?.note).toMatch(/could not fetch/);
  });

  it('refuses a rig the town does not have, naming it', async () => {
    await expect(prepareContextRigs(services, town.root, ['nope'], 'dashboard')).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('nope') as unknown,
    });
  });
});
