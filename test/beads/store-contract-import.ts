// Contract: whole-store export and import (the JSONL path), lossless and all-or-nothing.
import { describe, expect, it } from 'vitest';
import type { Bead } from '../../src/beads/index.js';
import type { StoreFactory } from './store-contract.js';
import { ctx, errorOf, withStore } from './store-contract.js';

export function sampleBead(id: string, extra: Partial<Bead> = {}): Bead {
  return {
    id,
    title: `title of ${id}`,
    status: 'open',
    priority: 1,
    issue_type: 'task',
    created_at: '2025-10-30T09:12:44.123456789-07:00',
    updated_at: '2025-10-31T10:00:00Z',
    labels: [],
    dependencies: [],
    comments: [],
    extra: {},
    ...extra,
  };
}

export function importContract(factory: StoreFactory): void {
  describe('import and export', () => {
    withStore(factory, (store) => {
      it('imports beads with relations and unknown fields, and exports them unchanged', async () => {
        const beads: Bead[] = [
          sampleBead('bd-a1', {
            labels: ['zeta', 'alpha'],
            extra: { custom_field: { nested: [1, 2] }, ephemeral: false, closed_at: null },
            comments: [
              { id: 7, issue_id: 'bd-a1', author: 'amy', text: 'hi', created_at: '2025-11-01T00:00:00Z' },
            ],
          }),
          sampleBead('bd-a1.1', {
            status: 'closed',
            closed_at: '2025-11-02T00:00:00Z',
            close_reason: 'done',
            dependencies: [
              {
                issue_id: 'bd-a1.1',
                depends_on_id: 'bd-a1',
                type: 'parent-child',
                created_at: '2025-11-01T00:00:00Z',
                created_by: 'amy',
              },
              {
                issue_id: 'bd-a1.1',
                depends_on_id: 'bd-zz',
                type: 'blocks',
                created_at: '2025-11-01T00:00:00Z',
                extra: { metadata: '{"w":1}' },
              },
            ],
          }),
          sampleBead('bd-b2', {
            status: 'tombstone',
            deleted_at: '2025-12-01T00:00:00Z',
            deleted_by: 'amy',
            delete_reason: 'dup',
            original_type: 'bug',
          }),
        ];
        expect(await store().importAll(beads, ctx)).toEqual({ created: 3, updated: 0, unchanged: 0 });
        expect(await store().exportAll()).toEqual(beads);
        expect(await store().importAll(beads, ctx)).toEqual({ created: 0, updated: 0, unchanged: 3 });
        const changed = [{ ...beads[0]!, title: 'renamed', labels: ['alpha'] }];
        expect(await store().importAll(changed, ctx)).toEqual({ created: 0, updated: 1, unchanged: 0 });
        expect(await store().require('bd-a1')).toMatchObject({ title: 'renamed', labels: ['alpha'] });
      });

      it('continues child numbering after imported children', async () => {
        await store().importAll([sampleBead('bd-c3'), sampleBead('bd-c3.4')], ctx);
        const child = await store().create({ prefix: 'bd', title: 'next', parent: 'bd-c3' }, ctx);
        expect(child.id).toBe('bd-c3.5');
      });

      it('imports nothing when one bead cannot be stored', async () => {
        await store().importAll(
          [
            sampleBead('bd-d1', {
              comments: [
                { id: 1, issue_id: 'bd-d1', author: 'a', text: 't', created_at: '2025-01-01T00:00:00Z' },
              ],
            }),
          ],
          ctx,
        );
        const before = await store().exportAll();
        const error = await errorOf(
          store().importAll(
            [
              sampleBead('bd-e1'),
              sampleBead('bd-e2', {
                comments: [
                  {
                    id: 1,
                    issue_id: 'bd-e2',
                    author: 'b',
                    text: 'clash',
                    created_at: '2025-01-01T00:00:00Z',
                  },
                ],
              }),
            ],
            ctx,
          ),
        );
        expect(error.message).toContain('bd-e2');
        expect(await store().exportAll()).toEqual(before);
      });

      it('computes readiness for imported graphs', async () => {
        await store().importAll(
          [
            sampleBead('bd-f1'),
            sampleBead('bd-f2', {
              dependencies: [
                {
                  issue_id: 'bd-f2',
                  depends_on_id: 'bd-f1',
                  type: 'blocks',
                  created_at: '2025-01-01T00:00:00Z',
                },
              ],
            }),
            sampleBead('bd-f2.1', {
              dependencies: [
                {
                  issue_id: 'bd-f2.1',
                  depends_on_id: 'bd-f2',
                  type: 'parent-child',
                  created_at: '2025-01-01T00:00:00Z',
                },
              ],
            }),
          ],
          ctx,
        );
        expect((await store().ready()).map((b) => b.id)).toEqual(['bd-f1']);
      });

      it('finds cycles that arrive by import', async () => {
        const edge = (from: string, to: string) => ({
          issue_id: from,
          depends_on_id: to,
          type: 'blocks',
          created_at: '2025-01-01T00:00:00Z',
        });
        await store().importAll(
          [
            sampleBead('bd-g1', { dependencies: [edge('bd-g1', 'bd-g2')] }),
            sampleBead('bd-g2', { dependencies: [edge('bd-g2', 'bd-g3')] }),
            sampleBead('bd-g3', { dependencies: [edge('bd-g3', 'bd-g1')] }),
            sampleBead('bd-g4', { dependencies: [edge('bd-g4', 'bd-g4')] }),
          ],
          ctx,
        );
        expect(await store().cycles()).toEqual([['bd-g1', 'bd-g2', 'bd-g3'], ['bd-g4']]);
      });
    });
  });
}
