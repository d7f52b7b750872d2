// Contract: the ready set and the blocked list, exactly as classic beads define them.
import { describe, expect, it } from 'vitest';
import type { StoreFactory } from './store-contract.js';
import { at, ctx, withStore } from './store-contract.js';

export function readyContract(factory: StoreFactory): void {
  describe('what is ready', () => {
    withStore(factory, (store) => {
      const make = (title: string, extra: Record<string, unknown> = {}) =>
        store().create({ prefix: 'gt', title, ...extra }, ctx);
      const readyIds = async (filter = {}) => (await store().ready(filter)).map((b) => b.id).sort();

      it('holds back a bead blocked by an unclosed blocks edge until the blocker closes', async () => {
        const blocker = await make('blocker');
        const blocked = await make('blocked', {
          dependencies: [{ type: 'blocks', depends_on_id: blocker.id }],
        });
        expect(await readyIds()).toEqual([blocker.id]);
        await store().close(blocker.id, undefined, ctx);
        expect(await readyIds()).toEqual([blocked.id]);
        await store().reopen(blocker.id, ctx);
        expect(await readyIds()).toEqual([blocker.id]);
      });

      it('treats conditional-blocks as blocking and related, discovered-from as not', async () => {
        const base = await make('base');
        const cond = await make('cond', {
          dependencies: [{ type: 'conditional-blocks', depends_on_id: base.id }],
        });
        const rel = await make('rel', { dependencies: [{ type: 'related', depends_on_id: base.id }] });
        const found = await make('found', {
          dependencies: [{ type: 'discovered-from', depends_on_id: base.id }],
        });
        expect(await readyIds()).toEqual([base.id, rel.id, found.id].sort());
        expect(await readyIds()).not.toContain(cond.id);
      });

      it('passes blocking down parent-child edges to every descendant', async () => {
        const blocker = await make('blocker');
        const epic = await make('epic', { issue_type: 'epic' });
        const child = await store().create({ prefix: 'gt', title: 'child', parent: epic.id }, ctx);
        const grandchild = await store().create({ prefix: 'gt', title: 'gc', parent: child.id }, ctx);
        expect(await readyIds()).toEqual([blocker.id, epic.id, child.id, grandchild.id].sort());
        await store().addDependency(epic.id, blocker.id, 'blocks', ctx);
        expect(await readyIds()).toEqual([blocker.id]);
        const blocked = await store().blocked();
        expect(blocked.map((b) => [b.bead.id, b.blocked_by])).toEqual(
          expect.arrayContaining([
            [epic.id, [blocker.id]],
            [child.id, [blocker.id]],
            [grandchild.id, [blocker.id]],
          ]),
        );
        await store().removeDependency(epic.id, blocker.id, ctx);
        expect(await readyIds()).toHaveLength(4);
      });

      it('unblocks a child whose blocked parent edge is removed', async () => {
        const blocker = await make('blocker');
        const epic = await make('epic', { dependencies: [{ type: 'blocks', depends_on_id: blocker.id }] });
        const child = await store().create({ prefix: 'gt', title: 'child', parent: epic.id }, ctx);
        expect(await readyIds()).toEqual([blocker.id]);
        await store().removeDependency(child.id, epic.id, ctx);
        expect(await readyIds()).toEqual([blocker.id, child.id].sort());
      });

      it('leaves out non-open and deferred beads', async () => {
        const now = new Date('2026-06-01T00:00:00Z');
        const open = await make('open');
        const later = await make('later', { defer_until: '2026-07-01T00:00:00Z' });
        const past = await make('past', { defer_until: '2026-05-01T00:00:00+02:00' });
        const working = await make('working');
        await store().claim(working.id, 'nux', ctx);
        await make('iced', { status: 'deferred' });
        await make('pinned', { status: 'pinned' });
        expect(await readyIds({ now })).toEqual([open.id, past.id].sort());
        await store().update(later.id, { defer_until: null }, ctx);
        expect(await readyIds({ now })).toContain(later.id);
      });

      it('sorts by priority, by age, or hybrid (recent by priority, old by age)', async () => {
        const old = await store().create(
          { prefix: 'gt', title: 'old', priority: 4 },
          at('2026-01-01T00:00:00Z'),
        );
        const oldUrgent = await store().create(
          { prefix: 'gt', title: 'old urgent', priority: 0 },
          at('2026-01-02T00:00:00Z'),
        );
        const fresh = await store().create(
          { prefix: 'gt', title: 'fresh', priority: 3 },
          at('2026-02-10T00:00:00Z'),
        );
        const freshUrgent = await store().create(
          { prefix: 'gt', title: 'fresh urgent', priority: 1 },
          at('2026-02-10T01:00:00Z'),
        );
        const now = new Date('2026-02-11T00:00:00Z');
        const order = async (sort: 'hybrid' | 'priority' | 'oldest') =>
          (await store().ready({ sort, now })).map((b) => b.id);
        expect(await order('priority')).toEqual([oldUrgent.id, freshUrgent.id, fresh.id, old.id]);
        expect(await order('oldest')).toEqual([old.id, oldUrgent.id, fresh.id, freshUrgent.id]);
        expect(await order('hybrid')).toEqual([freshUrgent.id, fresh.id, old.id, oldUrgent.id]);
        expect(await store().ready({ sort: 'priority', now, limit: 2 })).toHaveLength(2);
        for (const limit of [1, 2, 3, 5]) {
          const top = (await store().ready({ sort: 'hybrid', now, limit })).map((b) => b.id);
          expect(top, `hybrid limit ${limit}`).toEqual((await order('hybrid')).slice(0, limit));
        }
      });

      it('filters ready work by assignee, labels, type, priority and prefix', async () => {
        const mine = await make('mine', { assignee: 'nux', labels: ['ui'] });
        const bug = await make('bug', { issue_type: 'bug', priority: 0 });
        const other = await store().create({ prefix: 'hq', title: 'town work' }, ctx);
        expect(await readyIds({ assignee: 'nux' })).toEqual([mine.id]);
        expect(await readyIds({ unassigned: true })).toEqual([bug.id, other.id].sort());
        expect(await readyIds({ labels: ['ui'] })).toEqual([mine.id]);
        expect(await readyIds({ issueType: 'bug' })).toEqual([bug.id]);
        expect(await readyIds({ priority: 0 })).toEqual([bug.id]);
        expect(await readyIds({ prefix: 'hq' })).toEqual([other.id]);
        expect(await readyIds({ prefix: 'gt' })).toEqual([mine.id, bug.id].sort());
      });

      it('counts ready, blocked and each status in stats', async () => {
        const blocker = await make('blocker');
        await make('blocked', { dependencies: [{ type: 'blocks', depends_on_id: blocker.id }] });
        const done = await make('done');
        await store().close(done.id, undefined, ctx);
        const stats = await store().stats();
        expect(stats).toMatchObject({
          total_issues: 3,
          open_issues: 2,
          closed_issues: 1,
          ready_issues: 1,
          blocked_issues: 1,
        });
      });
    });
  });
}
