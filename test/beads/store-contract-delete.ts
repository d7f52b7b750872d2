// Contract: deleting beads — all or nothing, edges both ways gone, dependents unblocked.
import { describe, expect, it } from 'vitest';
import type { StoreFactory } from './store-contract.js';
import { ctx, errorOf, withStore } from './store-contract.js';

export function deleteContract(factory: StoreFactory): void {
  describe('deleting beads', () => {
    withStore(factory, (store) => {
      it('removes the beads with their labels and edges, and unblocks what depended on them', async () => {
        const epic = await store().create(
          { prefix: 'gt', title: 'Epic', issue_type: 'epic', labels: ['mol'] },
          ctx,
        );
        const child = await store().create({ prefix: 'gt', parent: epic.id, title: 'Step' }, ctx);
        await store().addComment(child.id, 'a note', ctx);
        const outside = await store().create(
          { prefix: 'gt', title: 'Waits', dependencies: [{ type: 'blocks', depends_on_id: child.id }] },
          ctx,
        );
        expect((await store().ready()).map((b) => b.id)).not.toContain(outside.id);
        const deleted = await store().delete([epic.id, child.id, epic.id], ctx);
        expect(deleted.map((b) => b.id)).toEqual([epic.id, child.id]);
        expect(deleted[0]!.labels).toEqual(['mol']);
        expect(await store().get(epic.id)).toBeUndefined();
        expect(await store().get(child.id)).toBeUndefined();
        const left = await store().require(outside.id);
        expect(left.dependencies).toEqual([]);
        expect((await store().ready()).map((b) => b.id)).toEqual([outside.id]);
        expect((await store().exportAll()).map((b) => b.id)).toEqual([outside.id]);
      });

      it('deletes nothing when one id is missing', async () => {
        const bead = await store().create({ prefix: 'gt', title: 'Stays' }, ctx);
        const error = await errorOf(store().delete([bead.id, 'gt-nope'], ctx));
        expect(error.code).toBe('not_found');
        expect(await store().get(bead.id)).toBeDefined();
      });
    });
  });
}
