// The incremental blocked cache must always agree with the definition of "ready". Random edits
// (seeded, so a failure replays) are checked after every step against a reference computed from
// scratch in plain TypeScript over the exported beads.
import { afterAll, describe, expect, it } from 'vitest';
import type { Bead } from '../../src/beads/index.js';
import { GasTownError } from '../../src/errors.js';
import { beadBackends, closeBeadBackends } from './backends.js';

function referenceReady(beads: Bead[]): string[] {
  const byId = new Map(beads.map((b) => [b.id, b]));
  const unclosed = (id: string) => {
    const bead = byId.get(id);
    return bead !== undefined && bead.status !== 'closed' && bead.status !== 'tombstone';
  };
  const memo = new Map<string, boolean>();
  const blocked = (bead: Bead, path: Set<string>): boolean => {
    const known = memo.get(bead.id);
    if (known !== undefined) return known;
    if (path.has(bead.id)) return false;
    path.add(bead.id);
    const result = bead.dependencies.some((d) => {
      if (d.type === 'blocks' || d.type === 'conditional-blocks') return unclosed(d.depends_on_id);
      if (d.type !== 'parent-child') return false;
      const parent = byId.get(d.depends_on_id);
      return parent !== undefined && blocked(parent, path);
    });
    path.delete(bead.id);
    memo.set(bead.id, result);
    return result;
  };
  return beads
    .filter((b) => b.status === 'open' && !blocked(b, new Set()))
    .map((b) => b.id)
    .sort();
}

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

afterAll(closeBeadBackends);

describe.each(beadBackends)('$name: the ready set under random edits', ({ factory }) => {
  for (const seed of [1, 2, 3]) {
    it(`matches the reference definition after every edit (seed ${seed})`, async () => {
      const { store, cleanup } = await factory();
      const random = prng(seed);
      const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
      const ids: string[] = [];
      const ctx = { actor: 'overseer' };
      for (let step = 0; step < 160; step++) {
        const roll = random();
        try {
          if (ids.length < 4 || roll < 0.25) {
            const parent = ids.length > 0 && random() < 0.3 ? pick(ids) : undefined;
            const bead = await store.create(
              { prefix: 'gt', title: `b${step}`, ...(parent ? { parent } : {}) },
              ctx,
            );
            ids.push(bead.id);
          } else if (roll < 0.55) {
            const type = pick(['blocks', 'blocks', 'parent-child', 'conditional-blocks', 'related']);
            await store.addDependency(pick(ids), pick(ids), type, ctx);
          } else if (roll < 0.7) {
            const bead = await store.require(pick(ids));
            const dep = bead.dependencies[0];
            if (dep) await store.removeDependency(bead.id, dep.depends_on_id, ctx);
          } else if (roll < 0.85) {
            await store.close(pick(ids), undefined, ctx);
          } else if (roll < 0.95) {
            await store.reopen(pick(ids), ctx);
          } else {
            await store.update(
              pick(ids),
              { status: pick(['in_progress', 'open', 'closed', 'tombstone'] as const) },
              ctx,
            );
          }
        } catch (error) {
          // Refused edits (cycles, duplicates, closing twice) are part of the game.
          if (!(error instanceof GasTownError)) throw error;
        }
        const ordered = (await store.ready()).map((b) => b.id);
        expect([...ordered].sort(), `after step ${step}`).toEqual(referenceReady(await store.exportAll()));
        const top = (await store.ready({ limit: 3 })).map((b) => b.id);
        expect(top, `first 3 after step ${step}`).toEqual(ordered.slice(0, 3));
      }
      await cleanup();
    });
  }
});
