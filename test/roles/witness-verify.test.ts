// The premature-done tests: the Witness verifies every "done" against the real branch and the rig's
// check in the sandbox. A polecat that commits nothing, or whose check fails, goes back for rework
// with the reason and never reaches the merge queue; a `no-code` bead and a good branch are queued.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { listMergeRequests } from '../../src/roles/refinery/merge-queue.js';
import { Witness } from '../../src/roles/witness/witness.js';
import type { MergeQueue } from '../../src/roles/witness/witness.js';
import { recordingMergeQueue } from '../../src/roles/witness/witness-queue.js';
import { refineryMergeQueue } from '../../src/roles/refinery/merge-queue.js';
import type { TownServices } from '../../src/town/services.js';
import { openTownServices } from '../../src/town/services.js';
import { gitIn } from '../support/git-fixtures.js';
import { makeRigTown, type RigTown } from '../support/rig-town.js';
import { removeTempDirs } from '../support/temp.js';

interface Shown {
  status: string;
  assignee?: string;
  labels?: string[];
  comments: { author: string; text: string }[];
}

const opened: TownServices[] = [];
afterEach(async () => {
  for (const town of opened.splice(0)) town.close();
  await removeTempDirs();
});

function witnessFor(town: RigTown, rig: string, queue: MergeQueue = recordingMergeQueue()): Witness {
  const services = openTownServices(town.root, { env: process.env });
  opened.push(services);
  return new Witness({ town: services, root: town.root, rig, queue });
}

async function show(town: RigTown, bead: string): Promise<Shown> {
  return (JSON.parse(await town.ok('--json', 'bd', 'show', bead)) as Shown[])[0]!;
}

async function polecatState(town: RigTown, name: string): Promise<string | undefined> {
  const rows = JSON.parse(await town.ok('--json', 'polecat', 'list')) as { name: string; state: string }[];
  return rows.find((row) => row.name === name)?.state;
}

async function checkedRig(town: RigTown): Promise<string> {
  await town.ok(
    'rig',
    'add',
    'api',
    town.remote.path,
    '--branch',
    'main',
    '--check',
    'echo checking required.txt; test -f required.txt',
  );
  return 'api';
}

async function apiBead(town: RigTown, title: string, steps: string[]): Promise<string> {
  const out = await town.ok(
    '--json',
    'bd',
    'create',
    title,
    '--rig',
    'api',
    ...steps.flatMap((s) => ['--step', s]),
  );
  return (JSON.parse(out) as { id: string }).id;
}

describe('the Witness verifies "done"', () => {
  it('sends a polecat that committed nothing back for rework, never to the queue', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Claim done without work', ['true']);
    expect(await town.ok('sling', bead, 'web')).toContain('Done: all 1 step(s) succeeded');
    expect(await polecatState(town, 'furiosa')).toBe('review');
    const queue = recordingMergeQueue();
    const witness = witnessFor(town, 'web', queue);
    const report = await witness.tick();
    expect(report.actions).toEqual([
      { type: 'rework', polecat: 'furiosa', beadId: bead, reason: 'no changes against main', round: 1 },
    ]);
    expect(queue.requests).toEqual([]);
    const shown = await show(town, bead);
    expect(shown).toMatchObject({ status: 'open', labels: ['gt:rework'] });
    expect(shown.assignee).toBeUndefined();
    expect(shown.comments.at(-1)).toMatchObject({ author: 'web/witness' });
    expect(shown.comments.at(-1)!.text).toContain('rework 1 of 3: no changes against main');
    expect(await polecatState(town, 'furiosa')).toBe('stopped');
    // Nothing is left to judge; a second patrol does nothing.
    expect((await witness.tick()).actions).toEqual([]);
    // The same polecat picks it up again in its own worktree, and is judged again.
    expect(await town.ok('sling', bead, 'web', '--polecat', 'furiosa')).toContain('web/polecats/furiosa');
    expect((await witness.tick()).actions).toMatchObject([{ type: 'rework', round: 2 }]);
    expect(queue.requests).toEqual([]);
  });

  it('sends a branch whose check fails back with the check output', async () => {
    const town = await makeRigTown();
    const rig = await checkedRig(town);
    const bead = await apiBead(town, 'Forget the required file', ['echo notes > notes.txt']);
    await town.ok('sling', bead, rig);
    const queue = recordingMergeQueue();
    const report = await witnessFor(town, rig, queue).tick();
    const reason = 'check `echo checking required.txt; test -f required.txt` failed (exit 1)';
    expect(report.actions).toEqual([{ type: 'rework', polecat: 'furiosa', beadId: bead, reason, round: 1 }]);
    expect(queue.requests).toEqual([]);
    const shown = await show(town, bead);
    expect(shown.status).toBe('open');
    expect(shown.comments.at(-1)!.text).toContain(reason);
    expect(shown.comments.at(-1)!.text).toContain('checking required.txt');
    const feed = await town.ok('--json', 'feed', '--bead', bead, '--kind', 'witness.rework', '-n', '0');
    expect(JSON.parse(feed.trim())).toMatchObject({
      actor: `${rig}/witness`,
      payload: { round: 1, polecat: 'furiosa' },
    });
    // `gt witness patrol` runs the same patrol by hand: nothing is left to judge in either rig.
    expect(await town.ok('witness', 'patrol')).toBe('api: nothing to do\nweb: nothing to do');
  });

  it('queues a good branch with its head commit, once, and keeps the polecat in review', async () => {
    const town = await makeRigTown();
    const rig = await checkedRig(town);
    const bead = await apiBead(town, 'Add the required file', ['echo yes > required.txt']);
    await town.ok('sling', bead, rig);
    const queue = recordingMergeQueue();
    const witness = witnessFor(town, rig, queue);
    const report = await witness.tick();
    const branch = `polecat/furiosa/${bead}`;
    const head = await gitIn(join(town.root, rig, 'repo.git'), 'rev-parse', branch);
    expect(report.actions).toEqual([
      { type: 'verified', polecat: 'furiosa', beadId: bead, head, commitsAhead: 1, checked: true },
    ]);
    expect(queue.requests).toEqual([
      { rig, beadId: bead, polecat: 'furiosa', branch, headCommit: head, actor: `${rig}/witness` },
    ]);
    expect(await polecatState(town, 'furiosa')).toBe('review');
    expect((await show(town, bead)).labels).toEqual(['gt:review']);
    expect((await witness.tick()).actions).toEqual([]);
    expect(queue.requests).toHaveLength(1);
  });

  it('lets a no-code bead through without a diff, into the Refinery queue', async () => {
    const town = await makeRigTown();
    const bead = await town.bead('Confirm the docs are fine', ['true'], '-l', 'no-code');
    await town.ok('sling', bead, 'web');
    const witness = witnessFor(town, 'web');
    const services = openTownServices(town.root, { env: process.env });
    opened.push(services);
    const real = new Witness({
      town: services,
      root: town.root,
      rig: 'web',
      queue: refineryMergeQueue(services),
    });
    const report = await real.tick();
    const head = await gitIn(join(town.root, 'web', 'repo.git'), 'rev-parse', 'main');
    expect(report.actions).toEqual([
      { type: 'verified', polecat: 'furiosa', beadId: bead, head, commitsAhead: 0, checked: false },
    ]);
    expect(listMergeRequests(services.db, 'web')).toMatchObject([
      { bead_id: bead, polecat: 'furiosa', head_commit: head, state: 'queued' },
    ]);
    // Another Witness (a restart) reads the verdict back from the ledger and does not queue it again.
    expect((await witness.tick()).actions).toEqual([]);
  });
});
