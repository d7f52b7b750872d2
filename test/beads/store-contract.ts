// The one contract every BeadStore backend must pass (SQLite today, PostgreSQL later). Each
// backend's test file calls `beadStoreContract` with a factory for an empty store.
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import type { BeadStore } from '../../src/beads/index.js';
import { GasTownError } from '../../src/errors.js';
import { readyContract } from './store-contract-ready.js';
import { graphContract } from './store-contract-graph.js';
import { importContract } from './store-contract-import.js';
import { trackerContract } from './store-contract-trackers.js';
import { deleteContract } from './store-contract-delete.js';

export interface StoreHandle {
  store: BeadStore;
  cleanup: () => Promise<void>;
}
export type StoreFactory = () => Promise<StoreHandle>;

export const ctx = { actor: 'overseer' };
export const at = (iso: string) => ({ actor: 'overseer', now: new Date(iso) });

export async function errorOf(promise: Promise<unknown>): Promise<GasTownError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GasTownError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Runs `body` with a fresh store per test. */
export function withStore(factory: StoreFactory, body: (get: () => BeadStore) => void): void {
  let handle: StoreHandle;
  beforeEach(async () => {
    handle = await factory();
  });
  afterEach(async () => {
    await handle.cleanup();
  });
  body(() => handle.store);
}

export function beadStoreContract(name: string, factory: StoreFactory): void {
  describe(`${name}: bead store contract`, () => {
    describe('creating and reading beads', () => {
      withStore(factory, (store) => {
        it('creates a bead with a hash id under the prefix and bd defaults', async () => {
          const bead = await store().create({ prefix: 'gt', title: '  Fix the login page ' }, ctx);
          expect(bead.id).toMatch(/^gt-[0-9a-z]{4}$/);
          expect(bead).toMatchObject({
            title: '  Fix the login page ',
            status: 'open',
            priority: 2,
            issue_type: 'task',
          });
          expect(bead.created_by).toBe('overseer');
          expect(bead.labels).toEqual([]);
          expect(await store().get(bead.id)).toEqual(bead);
        });

        it('keeps every optional field it was given and omits the rest', async () => {
          const bead = await store().create(
            {
              prefix: 'hq',
              title: 'Design review',
              description: 'why',
              design: 'how',
              acceptance_criteria: 'done when',
              notes: 'n',
              priority: 0,
              issue_type: 'feature',
              assignee: 'mayor',
              estimated_minutes: 30,
              external_ref: 'gh-9',
              labels: ['ui', 'urgent'],
            },
            ctx,
          );
          expect(bead).toMatchObject({ description: 'why', design: 'how', acceptance_criteria: 'done when' });
          expect(bead).toMatchObject({
            priority: 0,
            issue_type: 'feature',
            assignee: 'mayor',
            estimated_minutes: 30,
          });
          expect(bead.labels).toEqual(['ui', 'urgent']);
          expect('closed_at' in bead).toBe(false);
          expect('owner' in bead).toBe(false);
        });

        it('gives children dotted ids and a parent-child edge', async () => {
          const epic = await store().create({ prefix: 'gt', title: 'Epic', issue_type: 'epic' }, ctx);
          const first = await store().create({ prefix: 'gt', title: 'one', parent: epic.id }, ctx);
          const second = await store().create({ prefix: 'gt', title: 'two', parent: epic.id }, ctx);
          const grandchild = await store().create({ prefix: 'gt', title: 'deep', parent: first.id }, ctx);
          expect([first.id, second.id, grandchild.id]).toEqual([
            `${epic.id}.1`,
            `${epic.id}.2`,
            `${epic.id}.1.1`,
          ]);
          expect(first.dependencies).toMatchObject([
            { issue_id: first.id, depends_on_id: epic.id, type: 'parent-child' },
          ]);
          expect((await store().list({ parent: epic.id })).map((b) => b.id)).toEqual([first.id, second.id]);
        });

        it('rejects bad input naming the field, and writes nothing', async () => {
          const cases: [Parameters<BeadStore['create']>[0], RegExp][] = [
            [{ prefix: 'gt', title: '   ' }, /title/],
            [{ prefix: 'gt', title: 'x', priority: 7 }, /priority/],
            [{ prefix: 'GT!', title: 'x' }, /prefix/],
            [{ prefix: 'gt', title: 'x', issue_type: 'Not A Type' }, /issue_type/],
            [{ prefix: 'gt', title: 'x', labels: ['has space'] }, /labels/],
            [{ prefix: 'gt', title: 'x', defer_until: 'next tuesday' }, /defer_until/],
          ];
          for (const [input, field] of cases) {
            const error = await errorOf(store().create(input, ctx));
            expect(error.code).toBe('invalid_input');
            expect(error.message).toMatch(field);
          }
          expect(await store().list({ all: true })).toEqual([]);
        });

        it('creates nothing when a dependency target is missing', async () => {
          const error = await errorOf(
            store().create(
              { prefix: 'gt', title: 'x', dependencies: [{ type: 'blocks', depends_on_id: 'gt-zzzz' }] },
              ctx,
            ),
          );
          expect(error.code).toBe('not_found');
          expect(error.message).toContain('gt-zzzz');
          expect(await store().list({ all: true })).toEqual([]);
        });

        it('reports a missing bead as not_found', async () => {
          expect(await store().get('gt-nope')).toBeUndefined();
          expect((await errorOf(store().require('gt-nope'))).code).toBe('not_found');
          expect((await errorOf(store().close('gt-nope', undefined, ctx))).code).toBe('not_found');
        });
      });
    });

    describe('updating, claiming and closing', () => {
      withStore(factory, (store) => {
        it('updates fields, clears them with null, and stamps updated_at', async () => {
          const bead = await store().create(
            { prefix: 'gt', title: 'a', description: 'old' },
            at('2026-01-01T00:00:00Z'),
          );
          const updated = await store().update(
            bead.id,
            { title: 'b', description: null, priority: 1, notes: 'n' },
            at('2026-01-02T00:00:00Z'),
          );
          expect(updated).toMatchObject({
            title: 'b',
            priority: 1,
            notes: 'n',
            updated_at: '2026-01-02T00:00:00.000Z',
          });
          expect('description' in updated).toBe(false);
          expect((await errorOf(store().update(bead.id, { priority: 9 }, ctx))).message).toMatch(/priority/);
        });

        it('lets exactly one claimant take a bead', async () => {
          const bead = await store().create({ prefix: 'gt', title: 'work' }, ctx);
          const claimed = await store().claim(bead.id, 'rig/polecats/nux', ctx);
          expect(claimed).toMatchObject({ status: 'in_progress', assignee: 'rig/polecats/nux' });
          const again = await store().claim(bead.id, 'rig/polecats/nux', ctx);
          expect(again.assignee).toBe('rig/polecats/nux');
          const lost = await errorOf(store().claim(bead.id, 'rig/polecats/slit', ctx));
          expect(lost.code).toBe('already_claimed');
          expect(lost.message).toContain('already claimed by rig/polecats/nux');
        });

        it('hooks an open bead on one worker, which then claims it', async () => {
          const bead = await store().create({ prefix: 'gt', title: 'work' }, ctx);
          const hooked = await store().hook(bead.id, 'rig/polecats/nux', ctx);
          expect(hooked).toMatchObject({ status: 'hooked', assignee: 'rig/polecats/nux' });
          const other = await errorOf(store().hook(bead.id, 'rig/polecats/slit', ctx));
          expect(other.code).toBe('already_claimed');
          expect((await errorOf(store().claim(bead.id, 'rig/polecats/slit', ctx))).code).toBe(
            'already_claimed',
          );
          const claimed = await store().claim(bead.id, 'rig/polecats/nux', ctx);
          expect(claimed.status).toBe('in_progress');
          expect((await errorOf(store().hook(bead.id, 'rig/polecats/nux', ctx))).code).toBe('conflict');
        });

        it('refuses to claim a closed bead', async () => {
          const bead = await store().create({ prefix: 'gt', title: 'work' }, ctx);
          await store().close(bead.id, 'done', ctx);
          const error = await errorOf(store().claim(bead.id, 'someone', ctx));
          expect(error.code).toBe('conflict');
          expect(error.message).toContain('closed');
        });

        it('closes with a reason and reopens', async () => {
          const bead = await store().create({ prefix: 'gt', title: 'work' }, ctx);
          const closed = await store().close(bead.id, 'merged in abc123', at('2026-03-01T10:00:00Z'));
          expect(closed).toMatchObject({
            status: 'closed',
            close_reason: 'merged in abc123',
            closed_at: '2026-03-01T10:00:00.000Z',
          });
          expect((await errorOf(store().close(bead.id, undefined, ctx))).code).toBe('conflict');
          const reopened = await store().reopen(bead.id, ctx);
          expect(reopened.status).toBe('open');
          expect('closed_at' in reopened || 'close_reason' in reopened).toBe(false);
          expect((await errorOf(store().reopen(bead.id, ctx))).code).toBe('conflict');
        });

        it('adds and removes labels and comments', async () => {
          const bead = await store().create({ prefix: 'gt', title: 'work', labels: ['a'] }, ctx);
          await store().addLabel(bead.id, 'b', ctx);
          await store().addLabel(bead.id, 'b', ctx);
          expect((await store().removeLabel(bead.id, 'a', ctx)).labels).toEqual(['b']);
          const comment = await store().addComment(bead.id, 'looks good', { actor: 'rig/witness' });
          expect(comment).toMatchObject({ issue_id: bead.id, author: 'rig/witness', text: 'looks good' });
          expect((await store().require(bead.id)).comments).toEqual([comment]);
          expect((await errorOf(store().addComment(bead.id, '  ', ctx))).code).toBe('invalid_input');
        });

        it('filters lists by status, type, assignee, labels and priority', async () => {
          const a = await store().create(
            { prefix: 'gt', title: 'a', issue_type: 'bug', labels: ['x', 'y'], priority: 1 },
            ctx,
          );
          const b = await store().create({ prefix: 'gt', title: 'b', assignee: 'nux', labels: ['x'] }, ctx);
          const c = await store().create({ prefix: 'gt', title: 'c' }, ctx);
          await store().close(c.id, undefined, ctx);
          const ids = async (filter: Parameters<BeadStore['list']>[0]) =>
            (await store().list(filter)).map((x) => x.id);
          expect(await ids({})).toEqual([a.id, b.id]);
          expect((await ids({ all: true })).sort()).toEqual([a.id, b.id, c.id].sort());
          expect(await ids({ status: ['closed'] })).toEqual([c.id]);
          expect(await ids({ issueType: 'bug' })).toEqual([a.id]);
          expect(await ids({ assignee: 'nux' })).toEqual([b.id]);
          expect(await ids({ labels: ['x', 'y'] })).toEqual([a.id]);
          expect(await ids({ labelsAny: ['y', 'z'] })).toEqual([a.id]);
          expect(await ids({ priority: 2 })).toEqual([b.id]);
          expect(await ids({ limit: 1 })).toEqual([a.id]);
        });
      });
    });

    readyContract(factory);
    graphContract(factory);
    importContract(factory);
    trackerContract(factory);
    deleteContract(factory);
  });
}
