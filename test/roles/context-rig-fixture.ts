// What the context-rig tests of every runtime share: a `dashboard` rig whose bead reads the `api` rig.
// The api file the agent must read is pushed to api's remote after the rig was added, so only a
// fetch before the session shows it. The policy lets every command and write through, so the
// read-only mount alone must stop the writes; the snapshot is made ahead of the session and opened
// to everyone (0777/0666), so as root neither ownership nor mode stops the sandbox uid either.
import { chmod, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prepareContextRigs } from '../../src/roles/polecat/context-rigs.js';
import { openTownServices } from '../../src/town/services.js';
import { commitFile, gitIn, makeRemote } from '../support/git-fixtures.js';
import type { GitRemote } from '../support/git-fixtures.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';

export const routeMarker = 'ROUTE-accounts-runtime-flags-7c41';
export const routesText = `export const routes = ['/accounts/:id/flags']; // ${routeMarker}\n`;

export const permissivePolicy = `approvals:
  timeout_seconds: 2
rules:
  - id: test-any-command
    match: { tool: run }
    decision: allow
    reason: the test's commands may try anything; the read-only mount must hold
  - id: test-any-write
    match: { tool: [write, edit] }
    decision: allow
    reason: the write tools may try the context rig; the read-only mount must hold
`;

export interface ContextTown extends RigTown {
  api: GitRemote;
  /** The api commit the session must see, its snapshot on the host, and where the agent sees it. */
  head: string;
  snapshot: string;
  polecatPath(polecat: string): string;
  contextPath: string;
}

async function openUp(dir: string): Promise<void> {
  await chmod(dir, 0o777);
  for (const entry of await readdir(dir)) {
    const path = join(dir, entry);
    if ((await stat(path)).isDirectory()) await openUp(path);
    else await chmod(path, 0o666);
  }
}

export async function makeContextTown(agentYaml: string): Promise<ContextTown> {
  const town = await makeRigTown('dashboard');
  const api = await makeRemote(town.scratch, 'api');
  await town.ok('rig', 'add', 'api', api.path, '--branch', 'main');
  await commitFile(api.work, 'routes.js', routesText, 'routes');
  await gitIn(api.work, 'push', '--quiet', 'origin', 'main');
  const head = await gitIn(api.work, 'rev-parse', 'HEAD');
  await writeFile(join(town.root, 'town.yaml'), `name: testtown\n${agentYaml}`);
  await writeFile(join(town.root, 'policy.yaml'), permissivePolicy);
  const services = openTownServices(town.root, { env: process.env });
  let snapshot: string;
  try {
    const [prepared] = await prepareContextRigs(services, town.root, ['api'], 'dashboard');
    snapshot = prepared?.source ?? '';
  } finally {
    services.close();
  }
  await openUp(snapshot);
  return {
    ...town,
    api,
    head,
    snapshot,
    polecatPath: (polecat) => join(town.root, 'dashboard', 'polecats', polecat),
    contextPath: join(town.root, 'dashboard', 'polecats', '.context', 'api'),
  };
}

/** The snapshot's files, sorted: what a write that got through would change. */
export async function snapshotFiles(snapshot: string): Promise<string[]> {
  return (await readdir(snapshot, { recursive: true })).map(String).sort();
}
