// Crash safety of the Refinery: a request left `merging` by a dead Refinery whose work is already on
// the target (as the polecat's own commit, or as a rebased copy) finishes as merged without a second
// merge; a request finished twice stays merged once; a live lease is respected; and two Refineries
// ticking at once never merge two requests of one rig at the same time.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addDetachedWorktree, branchExists } from '../../src/git/index.js';
import { queryEvents } from '../../src/ledger/index.js';
import { Refinery } from '../../src/roles/refinery/refinery.js';
import { openTownServices } from '../../src/town/services.js';
import { commitFile, gitIn } from '../support/git-fixtures.js';
import { removeTempDirs } from '../support/temp.js';
import { abandon, makeRefineryTown, type RefineryTown } from './refinery-fixture.js';

let town: RefineryTown | undefined;
afterEach(async () => {
  town?.close();
  town = undefined;
  await removeTempDirs();
});

const count = (town: RefineryTown, bead: string, kind: string) =>
  queryEvents(town.services.db, { beadId: bead, kind }).length;

describe('Refinery crash safety', () => {
  it('finishes an abandoned request whose commit is already on the target, merging nothing twice', async () => {
    town = await makeRefineryTown();
    const refineryDir = join(town.root, 'web', 'refinery');
    const slung = await town.sling('Add a greeting', ['echo hello > greeting.txt']);
    const mr = town.enqueue(slung);
    // The dead Refinery had fast-forwarded main and left its scratch worktree behind.
    await gitIn(refineryDir, 'merge', '--quiet', '--ff-only', slung.head);
    await addDetachedWorktree(town.repo(), join(town.root, 'web', 'merging', `mr-${mr.id}`), slung.head);
    await writeFile(join(refineryDir, 'README.md'), 'half-written\n');
    abandon(town, mr.id);

    expect(await town.refinery().tick()).toBe('merged');

    expect(await gitIn(town.repo(), 'rev-parse', 'main')).toBe(slung.head);
    expect(await town.trailers('main', slung.bead)).toBe(1);
    expect(town.mr(mr.id)).toMatchObject({ state: 'merged', merged_commit: slung.head });
    expect((await town.beadOf(slung.bead)).close_reason).toBe(`merged in ${slung.head}`);
    expect(existsSync(slung.worktree)).toBe(false);
    expect(existsSync(join(town.root, 'web', 'merging', `mr-${mr.id}`))).toBe(false);
    expect(await gitIn(refineryDir, 'status', '--porcelain')).toBe('');
    expect(await readFile(join(refineryDir, 'README.md'), 'utf8')).toBe('# remote\n');
    expect(town.polecat(slung.polecat)?.state).toBe('idle');
    expect(count(town, slung.bead, 'merge.checked')).toBe(0);
  });

  it("recognises a rebased copy by the bead's trailer", async () => {
    town = await makeRefineryTown();
    const refineryDir = join(town.root, 'web', 'refinery');
    const slung = await town.sling('Add a greeting', ['echo hello > greeting.txt']);
    const mr = town.enqueue(slung);
    await commitFile(refineryDir, 'OTHER.md', 'meanwhile\n', 'meanwhile on main');
    // Its copy differs from the polecat's patch (as a resolved rebase would): only the trailer tells.
    await gitIn(refineryDir, 'cherry-pick', slung.head);
    await commitFile(refineryDir, 'greeting.txt', 'hello, resolved\n', 'unused');
    await gitIn(refineryDir, 'reset', '--quiet', '--soft', 'HEAD~2');
    await gitIn(refineryDir, 'commit', '--quiet', '-C', slung.head);
    const copy = await gitIn(refineryDir, 'rev-parse', 'HEAD');
    abandon(town, mr.id);

    expect(await town.refinery().tick()).toBe('merged');

    expect(await gitIn(town.repo(), 'rev-parse', 'main')).toBe(copy);
    expect(await town.trailers('main', slung.bead)).toBe(1);
    expect(town.mr(mr.id).merged_commit).toBe(copy);
    expect(await gitIn(town.repo(), 'show', 'main:greeting.txt')).toBe('hello, resolved');
    expect(await branchExists(town.repo(), slung.branch)).toBe(false);
    expect(count(town, slung.bead, 'merge.checked')).toBe(0);
  });

  it('finishing again after a crash at the very end changes nothing', async () => {
    town = await makeRefineryTown();
    const slung = await town.sling('Add a greeting', ['echo hello > greeting.txt']);
    const mr = town.enqueue(slung);
    expect(await town.refinery().tick()).toBe('merged');
    const main = await gitIn(town.repo(), 'rev-parse', 'main');
    abandon(town, mr.id);

    expect(await town.refinery().tick()).toBe('merged');

    expect(await gitIn(town.repo(), 'rev-parse', 'main')).toBe(main);
    expect(await town.trailers('main', slung.bead)).toBe(1);
    expect(town.mr(mr.id)).toMatchObject({ state: 'merged', merged_commit: main, attempts: 2 });
    expect(count(town, slung.bead, 'bead.closed')).toBe(1);
    expect(count(town, slung.bead, 'merge.merged')).toBe(2);
    expect(town.enqueue(slung)).toMatchObject({ id: mr.id, state: 'merged' });
  });

  it('leaves a request another Refinery holds alone, and lets one of two racing Refineries merge', async () => {
    town = await makeRefineryTown();
    const a = await town.sling('First', ['echo a > a.txt']);
    const b = await town.sling('Second', ['echo b > b.txt']);
    const first = town.enqueue(a);
    const second = town.enqueue(b);
    town.services.db
      .prepare(
        `UPDATE merge_requests SET state = 'merging', updated_at = '9999-01-01T00:00:00.000Z' WHERE id = ?`,
      )
      .run(first.id);
    expect(await town.refinery().tick()).toBe('idle');
    expect(town.mr(second.id).state).toBe('queued');

    town.services.db.prepare(`UPDATE merge_requests SET state = 'queued' WHERE id = ?`).run(first.id);
    const other = openTownServices(town.root, { env: process.env });
    try {
      const rival = new Refinery({ town: other, root: town.root, rig: 'web', env: {} });
      const outcomes = await Promise.all([town.refinery().tick(), rival.tick()]);
      expect(outcomes.sort()).toEqual(['idle', 'merged']);
      expect(town.mr(first.id).state).toBe('merged');
      expect(town.mr(second.id).state).toBe('queued');
      expect(await rival.tick()).toBe('merged');
    } finally {
      other.close();
    }
    expect(await town.trailers('main', a.bead)).toBe(1);
    expect(await town.trailers('main', b.bead)).toBe(1);
  });
});
