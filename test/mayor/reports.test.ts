// The Mayor reports back. A convoy of script beads run by the daemon to landing puts one report in
// the Overseer's inbox naming each bead and its merge commit, with a feed line; a later pass (a new
// process, as after a daemon restart) says nothing again. A stuck convoy is reported once per new
// problem: an escalation that folds again is not news, a new one is.
import { afterEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { reportConvoys } from '../../src/mayor/index.js';
import { createConvoy } from '../../src/roles/convoy/convoy.js';
import { markConvoyLaunched } from '../../src/roles/convoy/convoy-dispatch.js';
import { raiseEscalation } from '../../src/roles/comms/escalations.js';
import { inbox } from '../../src/roles/comms/mail.js';
import { openTownServices } from '../../src/town/services.js';
import { makeRigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

afterEach(removeTempDirs);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface MailRow {
  id: string;
  from_actor: string;
  subject: string;
  body: string;
  convoy_id: string | null;
}

describe('the Mayor reports', () => {
  it('mails the Overseer once when a launched convoy lands, naming its beads and merges', async () => {
    const town = await makeRigTown();
    const plan = join(town.scratch, 'plan.yaml');
    await writeFile(
      plan,
      [
        'convoy: {title: Docs}',
        'beads:',
        '  - {key: readme, title: Write the readme, rig: web, steps: ["echo hello > README.md"]}',
        '  - {key: guide, title: Write the guide, rig: web, steps: ["echo guide > GUIDE.md"], depends_on: [readme]}',
      ].join('\n'),
    );
    const planned = JSON.parse(await town.ok('--json', 'mayor', 'plan', plan, '--launch')) as {
      beads: { key: string; id: string }[];
      convoy: { id: string };
    };
    const convoy = planned.convoy.id;
    await town.ok('up');
    let reports: MailRow[] = [];
    try {
      while (reports.length === 0) {
        await sleep(200);
        reports = (JSON.parse(await town.ok('--json', 'mail', 'inbox')) as MailRow[]).filter(
          (m) => m.from_actor === 'mayor',
        );
      }
    } finally {
      await town.ok('down');
    }
    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(report).toMatchObject({
      convoy_id: convoy,
      subject: `Convoy ${convoy} "Docs" landed: 2 bead(s) done`,
    });
    for (const bead of planned.beads) {
      expect(report!.body).toMatch(
        new RegExp(`- ${bead.id} "Write the ${bead.key}" \\(web\\): merged [0-9a-f]{12}`),
      );
    }
    expect(await town.ok('feed', '-n', '0')).toContain(
      `mayor mayor.report: reports to the Overseer: Convoy ${convoy} "Docs" landed`,
    );
    expect(await town.ok('mayor', 'report')).toContain('Nothing new to report');
    expect(JSON.parse(await town.ok('--json', 'mail', 'inbox')) as MailRow[]).toHaveLength(1);
  }, 120_000);

  it('reports a stuck convoy once per new problem', async () => {
    const town = await makeRigTown();
    const first = await town.bead('Flaky job', ['echo a > a.txt']);
    const second = await town.bead('Other job', ['echo b > b.txt']);
    const services = openTownServices(town.root, { env: process.env });
    try {
      const made = await createConvoy(services, { name: 'Jobs', beads: [first, second] }, 'mayor');
      const convoy = made.convoy.id;
      expect(await reportConvoys(services)).toEqual([]); // open: nothing to say yet
      markConvoyLaunched(services, convoy, 'mayor');
      expect(await reportConvoys(services)).toEqual([]); // launched and moving

      const stall = { key: `witness.stall:${first}`, kind: 'stall_limit', rig: 'web', beadId: first };
      raiseEscalation(services, { ...stall, summary: 'polecat furiosa was silent for 600 s' }, 'witness');
      const sent = await reportConvoys(services);
      expect(sent).toEqual([expect.objectContaining({ convoy, state: 'stuck' })]);
      expect(sent[0]!.subject).toBe(
        `Convoy ${convoy} "Jobs" is stuck: 1 of 2 bead(s) need you (stall_limit)`,
      );

      raiseEscalation(services, { ...stall, summary: 'silent again' }, 'witness'); // folds: not news
      expect(await reportConvoys(services)).toEqual([]);

      raiseEscalation(
        services,
        {
          key: `witness.rework:${second}`,
          kind: 'rework_limit',
          rig: 'web',
          beadId: second,
          summary: 'sent back 3 times',
        },
        'witness',
      );
      const again = await reportConvoys(services);
      expect(again).toHaveLength(1);
      const mail = inbox(services.db, 'overseer');
      expect(mail).toHaveLength(2);
      expect(mail[1]!.body).toContain(`- ${second} "Other job" (web): rework_limit — sent back 3 times`);
      expect(mail[1]!.body).toContain(
        `- ${first} "Flaky job" (web): stall_limit — silent again (reported before)`,
      );
    } finally {
      services.close();
    }
  });
});
