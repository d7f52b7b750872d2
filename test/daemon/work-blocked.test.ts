// The daemon never stalls in silence: a rig whose mirror is gone raises ONE escalation (later ticks
// fold into it, adding nothing), `gt status` shows it with the fix, the bead stays ready; when the
// mirror is back the escalation closes and the bead is slung and merged.
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProblems } from '../../src/dashboard/queries/problems.js';
import { markConvoyLaunched } from '../../src/roles/convoy/convoy-dispatch.js';
import { listEscalations } from '../../src/roles/comms/escalations.js';
import { openTownServices } from '../../src/town/services.js';
import { makeRigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

afterAll(removeTempDirs);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: () => T | undefined, label: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = what();
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`gave up waiting for ${label}`);
}

describe('the daemon with a blocked rig', () => {
  it(
    'escalates once, shows it in gt status, keeps the bead ready, and resolves',
    { timeout: 120_000 },
    async () => {
      const town = await makeRigTown();
      const bead = await town.bead('Greet', ['echo hi > hi.txt']);
      const created = JSON.parse(await town.ok('--json', 'convoy', 'create', 'one', bead)) as {
        convoy: { id: string };
      };
      const services = openTownServices(town.root, { env: process.env });
      const repo = join(town.root, 'web', 'repo.git');
      try {
        await town.ok('up');
        await rename(repo, join(town.scratch, 'repo.git.away'));
        markConvoyLaunched(services, created.convoy.id, 'overseer');
        const key = 'work.blocked:rig_repo:web';
        const raised = await until(
          () => listEscalations(services.db).find((e) => e.key === key),
          'the escalation',
        );
        expect(raised.summary).toContain(`rig web: its mirror ${repo} is gone — fix:`);
        // Several daemon ticks (1 s apart) later, still one escalation raised once.
        await sleep(3500);
        const all = listEscalations(services.db, { all: true }).filter((e) => e.key === key);
        expect(all).toHaveLength(1);
        expect(all[0]!.count).toBe(1);
        const raisedEvents = services.db
          .prepare(
            `SELECT count(*) FROM ledger WHERE kind = 'escalation.raised'
              AND json_extract(payload, '$.reason') = 'work_blocked' AND json_extract(payload, '$.rig') = 'web'`,
          )
          .pluck()
          .get();
        expect(raisedEvents).toBe(1);
        const stillReady = await services.beads.require(bead);
        expect(stillReady.status).toBe('open');
        expect(stillReady.assignee ?? null).toBeNull();
        const status = await town.ok('status');
        expect(status).toContain(`BLOCKED: rig web: its mirror ${repo} is gone`);
        expect(status).toContain('gt rig remove web');
        const json = JSON.parse(await town.ok('--json', 'status')) as { blocked: string[] };
        expect(json.blocked).toHaveLength(1);
        const problems = findProblems(services.db, new Date(), 600).filter((p) => p.kind === 'blocked');
        expect(problems.map((p) => [p.rig, p.summary])).toEqual([['web', raised.summary]]);

        await rename(join(town.scratch, 'repo.git.away'), repo);
        await until(
          () => (listEscalations(services.db).some((e) => e.key === key) ? undefined : true),
          'the escalation to close',
        );
        for (let i = 0; i < 600 && (await services.beads.require(bead)).status !== 'closed'; i++)
          await sleep(100);
        expect((await services.beads.require(bead)).status).toBe('closed');
        expect(listEscalations(services.db, { all: true }).find((e) => e.key === key)?.state).toBe('closed');
      } finally {
        await town.gt('down');
        services.close();
      }
    },
  );
});
