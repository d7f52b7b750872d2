// The Witness leaves a "done" alone once its merge is in the Refinery's hands. The Refinery removes
// a landed polecat's worktree and branch before it records the merge; a patrol that came by in
// between found the branch gone, called the work missing and sent the bead back for rework —
// reopening a bead that had just merged, and running the whole bead again (found by the
// end-to-end story, test/story/, on a loaded machine). Here the Refinery is caught in that moment.
import { afterEach, describe, expect, it } from 'vitest';
import { queryEvents } from '../../src/ledger/index.js';
import { Witness } from '../../src/roles/witness/witness.js';
import { refineryMergeQueue } from '../../src/roles/refinery/merge-queue.js';
import { gitIn } from '../support/git-fixtures.js';
import { removeTempDirs } from '../support/temp.js';
import { makeRefineryTown, type RefineryTown } from './refinery-fixture.js';

let town: RefineryTown | undefined;
afterEach(async () => {
  town?.close();
  town = undefined;
  await removeTempDirs();
});

describe('the Witness and a merge in flight', () => {
  it.each(['merging', 'pr_open'])(
    'does not re-review a polecat whose merge request is %s, even with its branch gone',
    async (state) => {
      town = await makeRefineryTown();
      const slung = await town.sling('Add a greeting', ['echo hello > greeting.txt']);
      const witness = new Witness({
        town: town.services,
        root: town.root,
        rig: town.rig,
        queue: refineryMergeQueue(town.services),
      });
      expect((await witness.tick()).actions).toMatchObject([{ type: 'verified', beadId: slung.bead }]);
      // The Refinery took the request and has just removed the polecat's worktree and branch.
      town.services.db
        .prepare('UPDATE merge_requests SET state = ?, attempts = 1 WHERE bead_id = ?')
        .run(state, slung.bead);
      await gitIn(town.repo(), 'worktree', 'remove', '--force', slung.worktree);
      await gitIn(town.repo(), 'branch', '-D', slung.branch);

      expect((await witness.tick()).actions).toEqual([]);
      const bead = await town.beadOf(slung.bead);
      expect(bead.status).toBe('in_progress');
      expect(bead.labels).toContain('gt:review');
      expect(bead.labels).not.toContain('gt:rework');
      expect(queryEvents(town.services.db, { beadId: slung.bead, kind: 'witness.rework' })).toEqual([]);
    },
  );
});
