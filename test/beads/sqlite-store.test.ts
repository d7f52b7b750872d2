// Runs the bead store contract against SQLite files, plus what only SQLite promises: the change
// recorder runs inside the transaction, and the incremental blocked cache matches a full rebuild.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BeadChange } from '../../src/beads/index.js';
import { SqliteBeadStore } from '../../src/beads/index.js';
import { openDb } from '../../src/db/open.js';
import { beadStoreContract, ctx, errorOf } from './store-contract.js';

function tempDbFile(): { file: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'gt-store-'));
  return { file: join(dir, 'town.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

beadStoreContract('sqlite', async () => {
  const { file, cleanup } = tempDbFile();
  const store = new SqliteBeadStore(openDb(file), { ownsDb: true });
  return {
    store,
    cleanup: async () => {
      await store.dispose();
      cleanup();
    },
  };
});

describe('sqlite: the change recorder', () => {
  it('sees every change, and a failing recorder rolls the change back', async () => {
    const { file, cleanup } = tempDbFile();
    const db = openDb(file);
    const seen: BeadChange[] = [];
    let fail = false;
    const store = new SqliteBeadStore(db, {
      recorder: (change) => {
        if (fail) throw new Error('ledger unavailable');
        seen.push(change);
      },
    });
    const bead = await store.create({ prefix: 'gt', title: 'a' }, ctx);
    await store.claim(bead.id, 'nux', ctx);
    expect(seen.map((c) => [c.kind, c.bead_id, c.actor])).toEqual([
      ['bead.created', bead.id, 'overseer'],
      ['bead.claimed', bead.id, 'overseer'],
    ]);
    fail = true;
    await expect(store.close(bead.id, 'x', ctx)).rejects.toThrow('ledger unavailable');
    await expect(store.create({ prefix: 'gt', title: 'b' }, ctx)).rejects.toThrow('ledger unavailable');
    expect((await store.require(bead.id)).status).toBe('in_progress');
    expect(await store.list({ all: true })).toHaveLength(1);
    db.close();
    cleanup();
  });

  it('records each deleted bead with its last state, and a failing recorder keeps it', async () => {
    const { file, cleanup } = tempDbFile();
    const db = openDb(file);
    const seen: BeadChange[] = [];
    let fail = true;
    const store = new SqliteBeadStore(db, {
      recorder: (change) => {
        if (fail && change.kind === 'bead.deleted') throw new Error('ledger unavailable');
        seen.push(change);
      },
    });
    const bead = await store.create({ prefix: 'gt', title: 'gone soon', labels: ['x'] }, ctx);
    await expect(store.delete([bead.id], ctx)).rejects.toThrow('ledger unavailable');
    expect(await store.get(bead.id)).toBeDefined();
    fail = false;
    await store.delete([bead.id], ctx);
    expect(seen.at(-1)).toMatchObject({
      kind: 'bead.deleted',
      bead_id: bead.id,
      payload: { bead: { title: 'gone soon', labels: ['x'] } },
    });
    db.close();
    cleanup();
  });

  it('reports a missing bead even when the recorder is fine', async () => {
    const { file, cleanup } = tempDbFile();
    const store = new SqliteBeadStore(openDb(file), { ownsDb: true, recorder: () => undefined });
    expect((await errorOf(store.update('gt-x', { title: 'y' }, ctx))).code).toBe('not_found');
    await store.dispose();
    cleanup();
  });
});
