// The town daemon through the binary: one per town, up and down with ledger events, status, and
// the e-stop freezing a running step until the thaw.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gtBin } from '../support/cli.js';
import { markConvoyLaunched } from '../../src/roles/convoy/convoy-dispatch.js';
import { openTownServices } from '../../src/town/services.js';
import { gitIn } from '../support/git-fixtures.js';
import { makeRigTown } from '../support/rig-town.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the town daemon', () => {
  it('starts once per town, reports its status, and stops gracefully', async () => {
    const town = await makeRigTown();
    const up = await town.ok('up');
    expect(up).toMatch(/Town daemon up \(pid \d+\)/);
    const again = await town.gt('up');
    expect(again.exitCode).toBe(4);
    expect(again.stderr).toContain('already running');
    const status = JSON.parse(await town.ok('--json', 'status')) as {
      daemon: { running: boolean; pid: number };
      rigs: { name: string }[];
    };
    expect(status.daemon.running).toBe(true);
    expect(status.rigs.map((r) => r.name)).toEqual(['web']);
    expect(await town.ok('down')).toContain(`Town daemon stopped (pid ${status.daemon.pid})`);
    const stat = (() => {
      try {
        return readFileSync(`/proc/${status.daemon.pid}/stat`, 'utf8');
      } catch {
        return 'gone';
      }
    })();
    expect(stat === 'gone' || stat.split(') ')[1]!.startsWith('Z')).toBe(true);
    expect(await town.ok('status')).toContain('Daemon: down');
    const kinds = (await town.ok('--json', 'feed', '--by', 'deacon', '-n', '0'))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(kinds[0]).toBe('daemon.started');
    expect(kinds.at(-1)).toBe('daemon.stopped');
    expect(await town.ok('down')).toContain('not running');
  });

  it('freezes a running step with gt estop and resumes it with gt thaw', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Slow work', ['sleep 1; echo done > done.txt']);
    const running = execa('node', [gtBin, '--town', town.root, 'sling', bead, 'web'], { reject: false });
    const db = join(town.root, '.gt', 'town.db');
    let pgid: number | undefined;
    while (pgid === undefined) {
      const out = await execa('node', [
        '-e',
        `const D=require('better-sqlite3');const d=new D(${JSON.stringify(db)},{readonly:true});const r=d.prepare("SELECT pgid FROM sessions WHERE state='running' AND pgid IS NOT NULL AND pgid <> pid").get();console.log(r?r.pgid:'')`,
      ]);
      if (out.stdout.trim() !== '') pgid = Number(out.stdout.trim());
      else await sleep(50);
    }
    expect(await town.ok('estop', '--reason', 'checking something')).toContain('1 running step(s) stopped');
    const state = readFileSync(`/proc/${pgid}/stat`, 'utf8').split(' ')[2];
    expect(state).toBe('T');
    expect(await town.ok('status')).toContain('FROZEN: town');
    await town.ok('thaw');
    const done = await running;
    expect(done.exitCode).toBe(0);
    const kinds = (await town.ok('--json', 'feed', '-n', '0'))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(kinds).toContain('town.estop');
    expect(kinds).toContain('town.thaw');
  });

  it('stops running sessions on gt down, committing their work and re-queueing their beads', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Long job', ['echo begun > begun.txt', 'sleep 60']);
    const created = JSON.parse(await town.ok('--json', 'convoy', 'create', 'long', bead)) as {
      convoy: { id: string };
    };
    const services = openTownServices(town.root, { env: process.env });
    try {
      markConvoyLaunched(services, created.convoy.id, 'overseer');
      await town.ok('up');
      for (;;) {
        const calls = services.db
          .prepare(`SELECT count(*) FROM ledger WHERE kind = 'tool.call' AND bead_id = ?`)
          .pluck()
          .get(bead) as number;
        if (calls >= 2) break;
        await sleep(100);
      }
      expect(await town.ok('down')).toContain('Town daemon stopped');
      const after = await services.beads.require(bead);
      expect(after.status).toBe('open');
      expect(after.comments.at(-1)?.text).toContain('the town daemon is stopping');
      expect(
        await gitIn(join(town.root, 'web', 'repo.git'), 'show', `polecat/furiosa/${bead}:begun.txt`),
      ).toBe('begun');
    } finally {
      services.close();
    }
  });
});
