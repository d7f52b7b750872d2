// Contract: dependency edges, trees and cycle detection.
import { describe, expect, it } from 'vitest';
import type { StoreFactory } from './store-contract.js';
import { ctx, errorOf, withStore } from './store-contract.js';

export function graphContract(factory: StoreFactory): void {
  describe('dependencies', () => {
    withStore(factory, (store) => {
      const make = (title: string) => store().create({ prefix: 'gt', title }, ctx);

      it('adds, lists and removes an edge in both directions', async () => {
        const a = await make('a');
        const b = await make('b');
        const dep = await store().addDependency(a.id, b.id, 'blocks', { actor: 'mayor' });
        expect(dep).toMatchObject({
          issue_id: a.id,
          depends_on_id: b.id,
          type: 'blocks',
          created_by: 'mayor',
        });
        const ofA = await store().dependencies(a.id);
        expect(ofA.dependencies.map((v) => v.bead?.id)).toEqual([b.id]);
        const ofB = await store().dependencies(b.id);
        expect(ofB.dependents.map((v) => [v.dependency.issue_id, v.bead?.title])).toEqual([[a.id, 'a']]);
        await store().removeDependency(a.id, b.id, ctx);
        expect((await store().require(a.id)).dependencies).toEqual([]);
        expect((await errorOf(store().removeDependency(a.id, b.id, ctx))).code).toBe('not_found');
      });

      it('refuses self edges, duplicates, missing targets and bad types', async () => {
        const a = await make('a');
        const b = await make('b');
        expect((await errorOf(store().addDependency(a.id, a.id, 'blocks', ctx))).code).toBe('invalid_input');
        await store().addDependency(a.id, b.id, 'related', ctx);
        const duplicate = await errorOf(store().addDependency(a.id, b.id, 'blocks', ctx));
        expect(duplicate.code).toBe('conflict');
        expect(duplicate.message).toContain('already depends on');
        expect((await errorOf(store().addDependency(a.id, 'gt-none', 'blocks', ctx))).code).toBe('not_found');
        expect((await errorOf(store().addDependency('gt-none', a.id, 'blocks', ctx))).code).toBe('not_found');
        expect((await errorOf(store().addDependency(b.id, a.id, 'Bad Type', ctx))).code).toBe(
          'invalid_input',
        );
      });

      it('refuses an ordering edge that would close a cycle, but allows related loops', async () => {
        const a = await make('a');
        const b = await make('b');
        const c = await make('c');
        await store().addDependency(a.id, b.id, 'blocks', ctx);
        await store().addDependency(b.id, c.id, 'parent-child', ctx);
        const error = await errorOf(store().addDependency(c.id, a.id, 'blocks', ctx));
        expect(error.code).toBe('conflict');
        expect(error.message).toContain('cycle');
        await store().addDependency(c.id, a.id, 'related', ctx);
        expect(await store().cycles()).toEqual([]);
      });

      it('walks the dependency tree down and up, marking repeats', async () => {
        const root = await make('root');
        const left = await make('left');
        const right = await make('right');
        const shared = await make('shared');
        await store().addDependency(root.id, left.id, 'blocks', ctx);
        await store().addDependency(root.id, right.id, 'blocks', ctx);
        await store().addDependency(left.id, shared.id, 'blocks', ctx);
        await store().addDependency(right.id, shared.id, 'blocks', ctx);
        const tree = await store().dependencyTree(root.id);
        expect(tree.map((n) => [n.id, n.depth, n.truncated])).toEqual([
          [root.id, 0, false],
          [left.id, 1, false],
          [shared.id, 2, false],
          [right.id, 1, false],
          [shared.id, 2, true],
        ]);
        const up = await store().dependencyTree(shared.id, { reverse: true, maxDepth: 1 });
        expect(up.map((n) => n.id)).toEqual([shared.id, left.id, right.id]);
        expect((await errorOf(store().dependencyTree('gt-none'))).code).toBe('not_found');
      });
    });
  });
}
