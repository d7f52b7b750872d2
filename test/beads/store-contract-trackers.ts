// Contract: beads as real Gas Town trackers hold them. Every id shape bd accepts (molecules,
// wisps, agent and role beads, hyphenated prefixes, hand-made ids, dotted children) imports and
// exports unchanged, every string keeps its bytes, and edges to ids outside the store block nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonl, toJsonl } from '../../src/beads/index.js';
import type { StoreFactory } from './store-contract.js';
import { at, ctx, errorOf, withStore } from './store-contract.js';

export const fixtureDir = join(import.meta.dirname, 'fixtures');
export const readFixture = (name: string): string => readFileSync(join(fixtureDir, name), 'utf8');

/** Each non-blank line of a JSONL text, parsed. */
export const objectsOf = (text: string): unknown[] =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);

export function trackerContract(factory: StoreFactory): void {
  describe('beads as real trackers hold them', () => {
    withStore(factory, (store) => {
      it('imports a Gas Town tracker and exports it byte for byte', async () => {
        const text = readFixture('gastown-tracker.jsonl');
        const result = await store().importAll(parseJsonl(text, 'gastown-tracker.jsonl'), ctx);
        expect(result).toEqual({ created: 21, updated: 0, unchanged: 0 });
        const exported = toJsonl(await store().exportAll());
        expect(objectsOf(exported)).toEqual(objectsOf(text));
        expect(exported).toBe(text);
      });

      it('keeps the objects of a file bd wrote (escapes, nulls, field order, CRLF) line for line', async () => {
        const text = readFixture('bd-go-encoded.jsonl');
        await store().importAll(parseJsonl(text, 'bd-go-encoded.jsonl'), ctx);
        const out = toJsonl(await store().exportAll());
        expect(objectsOf(out)).toStrictEqual(objectsOf(text));
        const title = (await store().require('bd-1x9')).title;
        expect(title).toBe('Escape <b> tags & friends\n');
        // The line already in our canonical order comes back byte for byte, Go's escapes included.
        expect(out.split('\n')[2]).toBe(text.split('\n')[2]);
      });

      it('lets edges to ids outside the store block nothing, and in-store blockers block', async () => {
        await store().importAll(parseJsonl(readFixture('gastown-tracker.jsonl'), 'f'), ctx);
        const ready = (await store().ready({ now: new Date('2026-06-01T00:00:00Z') })).map((b) => b.id);
        // gt-abc12.2 `blocks` on gt-gone-404 (in no store) and `conditional-blocks` on a tombstone.
        expect(ready).toContain('gt-abc12.2');
        expect(ready).toContain('web-app-abc124');
        // gt-abc12.1.2 waits on gt-abc12.2, which is open.
        expect(ready).not.toContain('gt-abc12.1.2');
        const blocked = await store().blocked();
        expect(blocked.find((b) => b.bead.id === 'gt-abc12.1.2')?.blocked_by).toEqual(['gt-abc12.2']);
        expect(blocked.map((b) => b.bead.id)).not.toContain('gt-abc12.2');
        // Closing the in-store blocker frees its dependent.
        await store().close('gt-abc12.2', 'done', ctx);
        const after = (await store().ready({ now: new Date('2026-06-01T00:00:00Z') })).map((b) => b.id);
        expect(after).toContain('gt-abc12.1.2');
      });

      it('creates beads with any bd id shape, and edges between them', async () => {
        for (const id of ['bd-mol-02i', 'web-app-abc123', 'bd-beads-polecat-amber', 'bd-abc.1.2']) {
          const bead = await store().create({ prefix: 'bd', id, title: `bead ${id}` }, ctx);
          expect(bead.id).toBe(id);
        }
        const edge = await store().addDependency('bd-mol-02i', 'web-app-abc123', 'blocks', ctx);
        expect(edge).toMatchObject({ issue_id: 'bd-mol-02i', depends_on_id: 'web-app-abc123' });
        const dependent = await store().create(
          {
            prefix: 'bd',
            title: 'minted',
            dependencies: [{ type: 'waits-for', depends_on_id: 'bd-abc.1.2' }],
          },
          ctx,
        );
        expect(dependent.id).toMatch(/^bd-[0-9a-z]{4}$/);
        expect((await store().create({ prefix: 'web-app', title: 'minted' }, ctx)).id).toMatch(
          /^web-app-[0-9a-z]{4}$/,
        );
        // A child numbered after a dotted id that arrived with its own id.
        await store().create({ prefix: 'bd', id: 'bd-abc', title: 'parent' }, ctx);
        await store().create({ prefix: 'bd', id: 'bd-abc.7', title: 'seventh' }, ctx);
        expect((await store().create({ prefix: 'bd', parent: 'bd-abc', title: 'next' }, ctx)).id).toBe(
          'bd-abc.8',
        );
      });

      it('refuses a taken or malformed explicit id, and writes nothing', async () => {
        await store().create({ prefix: 'bd', id: 'bd-mol-02i', title: 'first' }, ctx);
        const before = await store().exportAll();
        const taken = await errorOf(store().create({ prefix: 'bd', id: 'bd-mol-02i', title: 'again' }, ctx));
        expect(taken.code).toBe('conflict');
        for (const id of ['nohyphen', '-bd-1', 'bd-a b', 'bd-a..b', 'bd-a/b', 'bd-x.lock', 'bd-']) {
          const bad = await errorOf(store().create({ prefix: 'bd', id, title: 'bad' }, ctx));
          expect(bad.code).toBe('invalid_input');
          expect(bad.message).toContain('id');
        }
        expect(await store().exportAll()).toEqual(before);
      });

      it('stores every string as given: whitespace and newlines kept, on create and update', async () => {
        const bead = await store().create(
          {
            prefix: 'gt',
            title: '  Fix the login page \n',
            description: '\n  indented\n\n',
            notes: ' ',
          },
          at('2026-01-01T00:00:00Z'),
        );
        expect(await store().require(bead.id)).toMatchObject({
          title: '  Fix the login page \n',
          description: '\n  indented\n\n',
          notes: ' ',
        });
        await store().update(bead.id, { title: 'tabbed\t', design: '\r\n' }, ctx);
        expect(await store().require(bead.id)).toMatchObject({ title: 'tabbed\t', design: '\r\n' });
        const comment = await store().addComment(bead.id, '  spaced  \n', ctx);
        expect((await store().require(bead.id)).comments).toEqual([comment]);
        expect(comment.text).toBe('  spaced  \n');
      });
    });
  });
}
