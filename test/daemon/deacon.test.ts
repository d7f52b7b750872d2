// The Deacon after a crash: a `gt sling` killed with SIGKILL mid-step leaves a session that claims
// to run; one patrol expires it, commits the work so far on the polecat's branch, hands the bead
// back, and leaves no step process alive. Its periodic checkpoint verifies.
import { execa } from 'execa';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyDatabase, loadTownKey } from '../../src/ledger/index.js';
import { Deacon } from '../../src/roles/deacon/deacon.js';
import { recordUsage } from '../../src/roles/budget/usage.js';
import { openTownServices } from '../../src/town/services.js';
import { gtBin } from '../support/cli.js';
import { gitIn } from '../support/git-fixtures.js';
import { makeRigTown } from '../support/rig-town.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the Deacon', () => {
  it('expires a dead session, keeps its work, re-queues its bead and reaps its steps', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Interrupted', ['echo first > first.txt', 'sleep 60']);
    const sling = execa('node', [gtBin, '--town', town.root, 'sling', bead, 'web'], { reject: false });
    const services = openTownServices(town.root, { env: process.env });
    try {
      let pgid: number | undefined;
      while (pgid === undefined) {
        const row = services.db
          .prepare<[], { pgid: number | null; pid: number }>(
            `SELECT pgid, pid FROM sessions WHERE state = 'running'`,
          )
          .get();
        const steps = services.db
          .prepare(`SELECT count(*) FROM ledger WHERE kind = 'tool.call'`)
          .pluck()
          .get() as number;
        if (row?.pgid && row.pgid !== row.pid && steps === 2) pgid = row.pgid;
        else await sleep(50);
      }
      sling.kill('SIGKILL');
      await sling;
      const report = await new Deacon({ town: services, checkpointEveryMs: 0 }).tick();
      expect(report.expired).toHaveLength(1);
      expect(report.checkpoint).toBe(true);
      const after = await services.beads.require(bead);
      expect(after.status).toBe('open');
      expect(after.comments.at(-1)?.text).toContain('died');
      const repo = join(town.root, 'web', 'repo.git');
      expect(await gitIn(repo, 'show', `polecat/furiosa/${bead}:first.txt`)).toBe('first');
      let alive = true;
      for (let i = 0; i < 50 && alive; i++) {
        try {
          process.kill(-pgid, 0);
          await sleep(100);
        } catch {
          alive = false;
        }
      }
      expect(alive).toBe(false);
      const again = await new Deacon({ town: services }).tick();
      expect(again.expired).toEqual([]);
      expect(verifyDatabase(services.db, loadTownKey(services.paths.keys).publicKey).ok).toBe(true);
      const kinds = services.db.prepare(`SELECT kind FROM ledger WHERE kind LIKE 'deacon.%'`).pluck().all();
      expect(kinds).toContain('deacon.session_expired');
    } finally {
      services.close();
    }
  });
});

describe('the Deacon and the town budget', () => {
  it('freezes the town and escalates once when the day’s spending passes the cap', async () => {
    const town = await makeRigTown();
    const services = openTownServices(town.root, { env: process.env });
    try {
      const deacon = new Deacon({ town: services, budgets: { usd_per_day: 1 } });
      recordUsage(services, { agent: 'anthropic', inputTokens: 100, outputTokens: 10, costUsd: 0.6 });
      expect((await deacon.tick()).overBudget).toBeUndefined();
      recordUsage(services, { agent: 'anthropic', inputTokens: 100, outputTokens: 10, costUsd: 0.5 });
      expect((await deacon.tick()).overBudget).toContain('spent $1.10 of $1 today');
      await deacon.tick();
      const status = JSON.parse(await town.ok('--json', 'status')) as {
        frozen: string[];
        escalations: { open: number };
      };
      expect(status.frozen).toEqual(['town']);
      expect(status.escalations.open).toBe(1);
      const estops = services.db
        .prepare(`SELECT count(*) FROM ledger WHERE kind = 'town.estop'`)
        .pluck()
        .get();
      expect(estops).toBe(1);
    } finally {
      services.close();
    }
  });
});
