// The merge request's transition table, walked whole on a real town database: every move the table
// lists works through `moveMergeRequest` and records its event; every other one throws
// `illegal_transition` and changes nothing. Plus the fences: a stale `from` or token loses cleanly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MergeRequestState } from '../../../src/roles/refinery/index.js';
import {
  getMergeRequest,
  insertMergeRequest,
  mergeRequestStates,
  mergeRequestTransitions,
  moveMergeRequest,
  parseMergeRequest,
} from '../../../src/roles/refinery/index.js';
import type { RawMergeRequest } from '../../../src/roles/refinery/index.js';
import { absent } from '../../../src/roles/transitions.js';
import type { TownServices } from '../../../src/town/services.js';
import { removeTempDirs } from '../../support/temp.js';
import { expectRefused, lastKind, ledgerHead, lifecycleTown } from './fixture.js';

let town: TownServices;
let heads = 0;
beforeAll(async () => {
  town = (await lifecycleTown()).town;
});
afterAll(async () => {
  town.close();
  await removeTempDirs();
});

/** A request in `state`, with the fields that state requires. */
function seed(state: MergeRequestState): number {
  const head = (++heads).toString(16).padStart(40, '0');
  const result = town.db
    .prepare(
      `INSERT INTO merge_requests (rig, bead_id, polecat, branch, head_commit, state, attempts, merged_commit,
         pr_url, detail, created_at, updated_at)
       VALUES ('web', 'web-1', 'nux', 'polecat/nux/web-1', ?, ?, 1, ?, ?, ?, 'then', 'then')`,
    )
    .run(
      head,
      state,
      state === 'merged' ? 'c'.repeat(40) : null,
      state === 'pr_open' ? 'https://example.invalid/pull/1' : null,
      state === 'rework' || state === 'failed' ? 'why' : null,
    );
  return Number(result.lastInsertRowid);
}

const row = (id: number) => town.db.prepare('SELECT * FROM merge_requests WHERE id = ?').get(id);

const cases = mergeRequestStates.flatMap((from) => mergeRequestStates.map((to) => ({ from, to })));

describe('merge request lifecycle', () => {
  it.each(cases)('$from → $to', ({ from, to }) => {
    const id = seed(from);
    const kinds = mergeRequestTransitions[from][to];
    const kind = kinds?.[0] ?? 'merge.queued';
    const move = () =>
      moveMergeRequest(town, id, {
        from,
        to,
        attempts: 1,
        set: {
          detail: 'moved',
          ...(to === 'merged' ? { merged_commit: 'd'.repeat(40) } : {}),
          ...(to === 'pr_open' ? { pr_url: 'https://example.invalid/pull/2' } : {}),
        },
        event: { kind, actor: 'web/refinery', bead_id: 'web-1', payload: { mr: id } },
      });
    if (kinds === undefined) {
      expectRefused(town, () => row(id), move, { from, to });
      return;
    }
    const head = ledgerHead(town);
    expect(move()).toBe(true);
    expect(getMergeRequest(town.db, id)?.state).toBe(to);
    expect(ledgerHead(town)).toBe(head + 1);
    expect(lastKind(town)).toBe(kind);
  });

  it('inserts only as queued, with merge.queued', () => {
    expect(mergeRequestTransitions[absent]).toEqual({ queued: ['merge.queued'] });
    const input = { rig: 'web', beadId: 'web-2', polecat: 'nux', branch: 'b', headCommit: 'e'.repeat(40) };
    const id = insertMergeRequest(town, input, (mr) => ({
      kind: 'merge.queued',
      actor: 'w',
      payload: { mr },
    }));
    expect(getMergeRequest(town.db, id)?.state).toBe('queued');
    expectRefused(
      town,
      () => town.db.prepare('SELECT count(*) FROM merge_requests').pluck().get(),
      () =>
        insertMergeRequest(
          { db: town.db, ledger: town.ledger },
          { ...input, headCommit: 'f'.repeat(40) },
          () => ({
            kind: 'merge.merged',
            actor: 'w',
            payload: {},
          }),
        ),
      { from: absent, to: 'queued' },
    );
  });

  it('refuses a listed move recorded by an event that does not record it', () => {
    const id = seed('queued');
    expectRefused(
      town,
      () => row(id),
      () =>
        moveMergeRequest(town, id, {
          from: 'queued',
          to: 'merging',
          event: { kind: 'merge.merged', actor: 'r', payload: {} },
        }),
      { from: 'queued', to: 'merging' },
    );
  });

  it('loses cleanly when the row is no longer where the mover saw it, or the token moved on', () => {
    const id = seed('merging');
    const head = ledgerHead(town);
    const event = { kind: 'merge.requeued', actor: 'r', payload: {} };
    // Another Refinery retook it: the old holder's give-back writes nothing.
    expect(moveMergeRequest(town, id, { from: 'merging', to: 'queued', attempts: 0, event })).toBe(false);
    // Someone else gave it back already: a give-back from `merging` finds it queued.
    town.db.prepare(`UPDATE merge_requests SET state = 'queued' WHERE id = ?`).run(id);
    expect(moveMergeRequest(town, id, { from: 'merging', to: 'queued', attempts: 1, event })).toBe(false);
    expect(getMergeRequest(town.db, id)).toMatchObject({ state: 'queued', attempts: 1 });
    expect(ledgerHead(town)).toBe(head);
  });

  it('reads rows as a union per state and fails loudly on an impossible one', () => {
    const raw = row(seed('merged')) as RawMergeRequest;
    const merged = parseMergeRequest(raw);
    if (merged.state !== 'merged') throw new Error('expected merged');
    expect(merged.merged_commit).toHaveLength(40);
    expect(() => parseMergeRequest({ ...raw, merged_commit: null })).toThrow(
      /impossible row: merged without a commit/,
    );
    expect(() => parseMergeRequest({ ...raw, state: 'pr_open', pr_url: null })).toThrow(
      /pr_open without a pull request/,
    );
    expect(() => parseMergeRequest({ ...raw, state: 'landing' })).toThrow(/unknown state landing/);
  });
});
