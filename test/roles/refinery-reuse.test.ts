// The Refinery takes the Witness's check instead of running it again only for exactly the tree
// the Witness checked: the target had not moved (the rebase is a no-op), the Witness ran the same
// command on a worktree holding nothing but that tree. Any other tree is checked — a change that
// passed in the polecat's worktree but fails once rebased, or that passed only thanks to a stray
// file in that worktree, never lands.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queryEvents } from '../../src/ledger/index.js';
import { Witness } from '../../src/roles/witness/witness.js';
import { refineryMergeQueue } from '../../src/roles/refinery/merge-queue.js';
import { commitFile, gitIn } from '../support/git-fixtures.js';
import { removeTempDirs } from '../support/temp.js';
import { makeRefineryTown, type RefineryTown } from './refinery-fixture.js';

let town: RefineryTown | undefined;
afterEach(async () => {
  town?.close();
  town = undefined;
  await removeTempDirs();
});

const rig = 'checked';

async function checkedTown(check: string): Promise<RefineryTown> {
  const made = await makeRefineryTown();
  await made.ok('rig', 'add', rig, made.remote.path, '--branch', 'main', '--check', check);
  return made;
}

/** The Witness's patrol, queuing into the real merge queue; the one verified action. */
async function witnessVerifies(made: RefineryTown): Promise<void> {
  const witness = new Witness({
    town: made.services,
    root: made.root,
    rig,
    queue: refineryMergeQueue(made.services),
  });
  expect((await witness.tick()).actions).toMatchObject([{ type: 'verified', checked: true }]);
}

function payloadOf(
  made: RefineryTown,
  bead: string,
  kind: string,
): Record<string, unknown> & { seq: number } {
  const event = queryEvents(made.services.db, { beadId: bead, kind }).at(-1);
  if (!event) throw new Error(`no ${kind} for ${bead}`);
  return { ...event.payload, seq: event.seq };
}

describe('the Refinery reusing the Witness check', () => {
  it('takes the check of an unmoved head and records the tree that was checked', async () => {
    const check = 'test -f must-exist.txt';
    town = await checkedTown(check);
    const slung = await town.sling('Add the file', ['touch must-exist.txt'], rig);
    await witnessVerifies(town);
    const verified = payloadOf(town, slung.bead, 'witness.verified');
    expect(verified).toMatchObject({
      head: slung.head,
      checked: true,
      clean: true,
      check,
      sandbox: 'bubblewrap',
    });

    expect(await town.refinery({ rig }).tick()).toBe('merged');

    const tree = await gitIn(town.repo(rig), 'rev-parse', `${slung.head}^{tree}`);
    expect(payloadOf(town, slung.bead, 'merge.checked')).toMatchObject({
      commit: slung.head,
      check,
      exit_code: 0,
      reused: { from: 'witness.verified', seq: verified.seq, tree },
    });
    expect(await gitIn(town.repo(rig), 'rev-parse', 'main')).toBe(slung.head);
  });

  it('checks the rebased tree when the target moved, and sends back what fails there', async () => {
    town = await checkedTown('test ! -f forbidden.txt');
    const slung = await town.sling('Add a note', ['echo note > note.txt'], rig);
    await witnessVerifies(town);
    await commitFile(join(town.root, rig, 'refinery'), 'forbidden.txt', 'x\n', 'meanwhile on main');
    const before = await gitIn(town.repo(rig), 'rev-parse', 'main');

    expect(await town.refinery({ rig }).tick()).toBe('rework');

    expect(await gitIn(town.repo(rig), 'rev-parse', 'main')).toBe(before);
    expect(town.kinds(slung.bead)).not.toContain('merge.checked');
  });

  it('checks again when the Witness ran with a file the tree lacks', async () => {
    town = await checkedTown('test -f must-exist.txt');
    const slung = await town.sling('Forget the file', ['echo nope > other.txt'], rig);
    // A stray untracked file makes the check pass in the polecat's worktree only.
    await writeFile(join(slung.worktree, 'must-exist.txt'), 'stray\n');
    await witnessVerifies(town);
    expect(payloadOf(town, slung.bead, 'witness.verified')).toMatchObject({ checked: true, clean: false });
    const before = await gitIn(town.repo(rig), 'rev-parse', 'main');

    expect(await town.refinery({ rig }).tick()).toBe('rework');

    expect(await gitIn(town.repo(rig), 'rev-parse', 'main')).toBe(before);
  });

  it('runs the check itself when the rig check changed after the Witness ran it', async () => {
    town = await checkedTown('test -f must-exist.txt');
    const slung = await town.sling('Add the file', ['touch must-exist.txt'], rig);
    await witnessVerifies(town);
    town.services.db.prepare('UPDATE rigs SET check_command = ? WHERE name = ?').run('test -d .', rig);

    expect(await town.refinery({ rig }).tick()).toBe('merged');

    const checked = payloadOf(town, slung.bead, 'merge.checked');
    expect(checked).toMatchObject({ commit: slung.head, check: 'test -d .', exit_code: 0 });
    expect(checked).not.toHaveProperty('reused');
  });
});
