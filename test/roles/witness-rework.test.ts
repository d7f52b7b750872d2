// The rework limit: a bead whose "done" keeps failing goes back to its polecat at most
// `witness.max_rework` times (town.yaml); after that the Overseer gets an escalation instead, and
// the same failure again folds into that escalation with a count, through `gt escalate`.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { Witness } from '../../src/roles/witness/witness.js';
import { recordingMergeQueue } from '../../src/roles/witness/witness-queue.js';
import type { TownServices } from '../../src/town/services.js';
import { openTownServices } from '../../src/town/services.js';
import { makeRigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

const opened: TownServices[] = [];
afterEach(async () => {
  for (const town of opened.splice(0)) town.close();
  await removeTempDirs();
});

interface EscalationRow {
  id: number;
  key: string;
  kind: string;
  rig: string;
  bead_id: string;
  count: number;
  state: string;
}

describe('the rework limit', () => {
  it('escalates past max_rework and folds repeats into one escalation', async () => {
    const town = await makeRigTown();
    const configFile = join(town.root, 'town.yaml');
    const config = parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
    await writeFile(configFile, stringify({ ...config, witness: { max_rework: 1 } }));
    const bead = await town.bead('Never does anything', ['true']);
    const services = openTownServices(town.root, { env: process.env });
    opened.push(services);
    const queue = recordingMergeQueue();
    const witness = new Witness({ town: services, root: town.root, rig: 'web', queue });

    await town.ok('sling', bead, 'web');
    expect((await witness.tick()).actions).toMatchObject([{ type: 'rework', round: 1 }]);
    await town.ok('sling', bead, 'web', '--polecat', 'furiosa');
    const second = await witness.tick();
    expect(second.actions).toEqual([
      {
        type: 'escalated',
        polecat: 'furiosa',
        beadId: bead,
        reason: 'no changes against main',
        escalationId: expect.any(Number) as number,
        count: 1,
      },
    ]);
    const [shown] = JSON.parse(await town.ok('--json', 'bd', 'show', bead)) as {
      status: string;
      labels: string[];
      comments: { text: string }[];
    }[];
    expect(shown).toMatchObject({ status: 'blocked', labels: ['gt:escalated'] });
    expect(shown!.comments.at(-1)!.text).toContain('The rework limit (1) is reached');
    // A blocked bead cannot be slung until the Overseer lets it go again.
    expect((await town.gt('sling', bead, 'web', '--polecat', 'furiosa')).exitCode).toBe(4);

    await town.ok('bd', 'update', bead, '-s', 'open');
    await town.ok('sling', bead, 'web', '--polecat', 'furiosa');
    expect((await witness.tick()).actions).toMatchObject([{ type: 'escalated', count: 2 }]);
    expect(queue.requests).toEqual([]);

    const listed = JSON.parse(await town.ok('--json', 'escalate', 'list')) as EscalationRow[];
    expect(listed).toEqual([
      expect.objectContaining({
        key: `witness.rework:${bead}`,
        kind: 'rework_limit',
        rig: 'web',
        bead_id: bead,
        count: 2,
        state: 'open',
      }),
    ]);
    const id = String(listed[0]!.id);
    expect(await town.ok('escalate', 'list')).toContain(`#${id} open  rework_limit (×2)  web ${bead}`);
    expect(await town.ok('escalate', 'ack', id)).toContain(`Acknowledged #${id}`);
    expect(await town.ok('escalate', 'close', id)).toContain(`Closed #${id}`);
    expect(await town.ok('escalate', 'list')).toContain('Nothing is escalated');
    const all = JSON.parse(await town.ok('--json', 'escalate', 'list', '--all')) as EscalationRow[];
    expect(all.map((e) => e.state)).toEqual(['closed']);
    const closedAgain = await town.gt('escalate', 'close', id);
    expect(closedAgain.exitCode).toBe(4);
    expect(closedAgain.stderr).toContain('already closed');
    const kinds = (await town.ok('--json', 'feed', '--bead', bead, '-n', '0'))
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { kind: string }).kind)
      .filter((kind) => kind.startsWith('witness.') || kind.startsWith('escalation.'));
    expect(kinds).toEqual([
      'witness.rework',
      'escalation.raised',
      'witness.escalated',
      'escalation.raised',
      'witness.escalated',
      'escalation.acked',
      'escalation.closed',
    ]);
  });
});
