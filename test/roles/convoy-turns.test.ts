// A dispatch pass slings a convoy's ready beads with the rigs taking turns (each rig's beads in
// convoy order), so every rig's polecats, Witness and Refinery have work from the start instead
// of one rig waiting until all of another's beads are slung.
import { afterEach, describe, expect, it } from 'vitest';
import { createConvoy } from '../../src/roles/convoy/convoy.js';
import { dispatchConvoy, markConvoyLaunched } from '../../src/roles/convoy/convoy-dispatch.js';
import type { SlingRequest, SlingResult } from '../../src/roles/polecat/sling.js';
import { openTownServices, type TownServices } from '../../src/town/services.js';
import { makeRigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

const opened: TownServices[] = [];
afterEach(async () => {
  for (const town of opened.splice(0)) town.close();
  await removeTempDirs();
});

describe('convoy dispatch order', () => {
  it('lets the rigs take turns, each in convoy order', async () => {
    const town = await makeRigTown();
    await town.ok('rig', 'add', 'api', town.remote.path, '--branch', 'main');
    const web = [
      await town.bead('w1', ['true']),
      await town.bead('w2', ['true']),
      await town.bead('w3', ['true']),
    ];
    const api = [
      JSON.parse(await town.ok('--json', 'bd', 'create', 'a1', '--rig', 'api', '--step', 'true')) as {
        id: string;
      },
    ].map((b) => b.id);
    const services = openTownServices(town.root, { env: process.env });
    opened.push(services);
    const { convoy } = await createConvoy(services, { name: 'turns', beads: [...web, ...api] }, 'overseer');
    markConvoyLaunched(services, convoy.id, 'overseer');
    const order: string[] = [];
    const sling = (request: SlingRequest): Promise<SlingResult> => {
      order.push(`${request.rig}:${request.beadId}`);
      request.onStart?.({ polecat: 'nux', branch: 'b', worktree: 'w' });
      return Promise.resolve({
        polecat: 'nux',
        branch: 'b',
        worktree: 'w',
        sessionId: 's',
        outcome: 'success',
        summary: '',
      } as SlingResult);
    };
    await dispatchConvoy(services, town.root, convoy.id, { actor: 'mayor', home: town.scratch, sling });
    expect(order).toEqual([`web:${web[0]}`, `api:${api[0]}`, `web:${web[1]}`, `web:${web[2]}`]);
  });
});
