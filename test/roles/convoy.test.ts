// Convoys through the gt binary: create (each bead's rig from its prefix or --rig-for), status,
// launch (slings what is ready, the rest as its dependencies close), and landing once every bead is
// closed. Closing stands in for the Refinery's merge here.
import { afterEach, describe, expect, it } from 'vitest';
import { Witness } from '../../src/roles/witness/witness.js';
import { recordingMergeQueue } from '../../src/roles/witness/witness-queue.js';
import { openTownServices } from '../../src/town/services.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

afterEach(removeTempDirs);

interface Progress {
  convoy: { id: string; name: string; state: string; launched_at: string | null; landed_at: string | null };
  total: number;
  counts: Record<string, number>;
  beads: { id: string; rig: string; state: string; status: string }[];
  complete: boolean;
}

async function status(town: RigTown, id: string): Promise<Progress> {
  return JSON.parse(await town.ok('--json', 'convoy', 'status', id)) as Progress;
}

describe('gt convoy', () => {
  it('launches the ready bead, then its dependent once it closes, and lands', async () => {
    const town = await makeRigTown();
    const first = await town.bead('Write the schema', ['echo schema > schema.sql']);
    const second = await town.bead('Use the schema', ['echo use > use.txt'], '--deps', first);
    const hq = JSON.parse(await town.ok('--json', 'bd', 'create', 'Town-level note')) as { id: string };

    const orphan = await town.gt('convoy', 'create', 'Ship it', first, hq.id);
    expect(orphan.exitCode).toBe(2);
    expect(orphan.stderr).toContain(`bead ${hq.id} belongs to no rig`);
    expect(orphan.stderr).toContain(`--rig-for ${hq.id}=<rig>`);
    expect(
      (await town.gt('convoy', 'create', 'Ship it', first, '--rig-for', `${first}=nope`)).stderr,
    ).toContain('no rig named nope');
    expect(JSON.parse(await town.ok('--json', 'convoy', 'list'))).toEqual([]);

    const created = JSON.parse(await town.ok('--json', 'convoy', 'create', 'Ship it', first)) as {
      convoy: { id: string };
    };
    const id = created.convoy.id;
    expect(id).toMatch(/^cv-[0-9a-f]{8}$/);
    expect(await town.ok('convoy', 'add', id, second)).toContain(`${second} → web`);
    let progress = await status(town, id);
    expect(progress.convoy.state).toBe('open');
    expect(progress.counts).toEqual({ ready: 1, working: 0, review: 0, closed: 0, blocked: 1 });
    expect(progress.beads.map((b) => [b.id, b.rig, b.state])).toEqual([
      [first, 'web', 'ready'],
      [second, 'web', 'blocked'],
    ]);

    const launched = await town.ok('convoy', 'launch', id);
    expect(launched).toContain(`Slung ${first} on web/polecats/furiosa`);
    expect(launched).not.toContain(`Slung ${second}`);
    progress = await status(town, id);
    expect(progress.convoy.state).toBe('launched');
    expect(progress.counts).toMatchObject({ ready: 0, review: 1, blocked: 1 });

    // The Refinery merges and closes the first bead; the next pass takes the second.
    await town.ok('bd', 'close', first, '--reason', 'merged');
    const next = JSON.parse(await town.ok('--json', 'convoy', 'launch', id, '--once')) as {
      slung: { beadId: string; polecat: string; outcome: string }[];
      landed: boolean;
    };
    expect(next.slung).toEqual([
      expect.objectContaining({ beadId: second, polecat: 'nux', outcome: 'success' }),
    ]);
    expect(next.landed).toBe(false);
    expect((await status(town, id)).counts).toEqual({
      ready: 0,
      working: 0,
      review: 1,
      closed: 1,
      blocked: 0,
    });

    await town.ok('bd', 'close', second, '--reason', 'merged');
    const text = await town.ok('convoy', 'status', id);
    expect(text).toContain(`${id} "Ship it" landed: 2 of 2 closed`);
    expect(text).toContain('merged/closed 2');
    progress = await status(town, id);
    expect(progress.complete).toBe(true);
    expect(progress.convoy.landed_at).not.toBeNull();
    expect(await town.ok('convoy', 'list')).toContain(`${id}  landed  2/2 closed  Ship it`);
    const landed = (await town.ok('--json', 'feed', '--kind', 'convoy.landed', '-n', '0')).trim().split('\n');
    expect(landed).toHaveLength(1);
    expect(JSON.parse(landed[0]!)).toMatchObject({ payload: { id, beads: [first, second] } });
    const late = await town.gt('convoy', 'add', id, hq.id, '--rig-for', `${hq.id}=web`);
    expect(late.exitCode).toBe(4);
    expect(late.stderr).toContain('has landed');
  });

  it('takes a bead to the rig --rig-for names', async () => {
    const town = await makeRigTown();
    const hq = JSON.parse(await town.ok('--json', 'bd', 'create', 'Town-level note')) as { id: string };
    const made = JSON.parse(
      await town.ok('--json', 'convoy', 'create', 'Notes', hq.id, '--rig-for', `${hq.id}=web`),
    ) as { added: { bead_id: string; rig: string }[] };
    expect(made.added).toEqual([{ bead_id: hq.id, rig: 'web' }]);
    expect((await town.gt('convoy', 'status', 'cv-00000000')).exitCode).toBe(3);
    expect((await town.gt('convoy', 'create', 'Bad', hq.id, '--rig-for', 'nonsense')).stderr).toContain(
      'is not <bead>=<rig>',
    );
  });

  it('hands a reworked bead back to the polecat that holds its work', async () => {
    const town = await makeRigTown();
    const lazy = await town.bead('Say done, do nothing', ['true']);
    const id = (
      JSON.parse(await town.ok('--json', 'convoy', 'create', 'Rework', lazy)) as { convoy: { id: string } }
    ).convoy.id;
    expect(await town.ok('convoy', 'launch', id)).toContain(`Slung ${lazy} on web/polecats/furiosa`);
    const services = openTownServices(town.root, { env: process.env });
    try {
      const witness = new Witness({
        town: services,
        root: town.root,
        rig: 'web',
        queue: recordingMergeQueue(),
      });
      expect((await witness.tick()).actions).toMatchObject([{ type: 'rework', beadId: lazy }]);
      expect((await status(town, id)).counts.ready).toBe(1);
      const again = JSON.parse(await town.ok('--json', 'convoy', 'launch', id, '--once')) as {
        slung: { beadId: string; polecat: string }[];
      };
      expect(again.slung).toEqual([expect.objectContaining({ beadId: lazy, polecat: 'furiosa' })]);
    } finally {
      services.close();
    }
  });
});
