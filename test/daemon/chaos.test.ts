// Crash durability: a convoy of 20 beads across 2 rigs runs under a daemon that is killed with
// SIGKILL at 10 random (seeded) moments and started again each time. At the end every bead is merged
// exactly once (one `Gas-Town-Bead` trailer per bead on the target branches), the ledger verifies,
// and after `gt down` no process of the town is alive.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markConvoyLaunched } from '../../src/roles/convoy/convoy-dispatch.js';
import { openTownServices } from '../../src/town/services.js';
import { gitIn, makeRemote } from '../support/git-fixtures.js';
import { makeRigTown } from '../support/rig-town.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Live (non-zombie) processes whose command line mentions the town. */
function townProcesses(root: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
      if (cmdline.includes(root) && state !== 'Z') found.push(`${pid}: ${cmdline}`);
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

describe('crash durability', () => {
  it('merges every bead of a convoy exactly once through 10 daemon kills', { timeout: 300_000 }, async () => {
    const town = await makeRigTown('web');
    const api = await makeRemote(town.scratch, 'api');
    await town.ok('rig', 'add', 'api', api.path, '--branch', 'main');
    const ids: string[] = [];
    for (const rig of ['web', 'api']) {
      for (let n = 1; n <= 10; n++) {
        const deps = n % 3 === 0 ? ['--deps', `blocks:${ids.at(-1)!}`] : [];
        ids.push(
          await town.bead(
            `${rig} bead ${n}`,
            [`echo ${n} > ${rig}-${n}.txt`, 'sleep 0.2', `test -s ${rig}-${n}.txt`],
            '--rig',
            rig,
            ...deps,
          ),
        );
      }
    }
    const convoy = JSON.parse(await town.ok('--json', 'convoy', 'create', 'chaos', ...ids)) as {
      id?: string;
      convoy?: { id: string };
    };
    const convoyId = convoy.convoy?.id ?? convoy.id!;
    const services = openTownServices(town.root, { env: process.env });
    markConvoyLaunched(services, convoyId, 'overseer');
    services.close();

    const random = prng(20261125);
    const daemonPid = async () =>
      (JSON.parse(await town.ok('--json', 'status')) as { daemon: { pid?: number } }).daemon.pid;
    await town.ok('up');
    for (let kill = 0; kill < 10; kill++) {
      await sleep(300 + Math.floor(random() * 1200));
      const pid = await daemonPid();
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
      await sleep(50);
      await town.ok('up');
    }
    let landed = false;
    for (let waited = 0; waited < 180_000 && !landed; waited += 500) {
      const status = JSON.parse(await town.ok('--json', 'convoy', 'status', convoyId)) as {
        convoy: { state: string };
      };
      landed = status.convoy.state === 'landed';
      if (!landed) await sleep(500);
    }
    await town.ok('down');
    expect(landed).toBe(true);

    const trailers: string[] = [];
    for (const rig of ['web', 'api']) {
      const log = await gitIn(
        join(town.root, rig, 'repo.git'),
        'log',
        '--format=%(trailers:key=Gas-Town-Bead,valueonly)',
        'main',
      );
      trailers.push(...log.split('\n').filter(Boolean));
    }
    expect(trailers.sort()).toEqual([...ids].sort());
    const verify = await town.gt('audit', 'verify');
    expect(verify.stdout).toContain('Ledger intact');
    expect(townProcesses(town.root)).toEqual([]);
    const kills = (await town.ok('--json', 'feed', '--kind', 'daemon.started', '-n', '0')).trim().split('\n');
    expect(kills.length).toBeGreaterThanOrEqual(11);
  });
});
