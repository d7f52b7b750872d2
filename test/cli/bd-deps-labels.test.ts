// `gt bd dep …`, `label …` and `comments …` through the built binary: edges are added, listed,
// walked and removed; cycles are refused on add and found after an import; labels and comments
// belong to the bead and the actor.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../support/temp.js';
import type { BdTown } from './bd-town.js';
import { jsonError, makeBdTown } from './bd-town.js';

afterAll(removeTempDirs);

interface Related {
  id: string;
  title?: string;
  dependency_type: string;
}

describe('gt bd dep', () => {
  let town: BdTown;
  let a: string, b: string, c: string;
  beforeAll(async () => {
    town = await makeBdTown();
    a = await town.create('Top');
    b = await town.create('Middle');
    c = await town.create('Bottom');
  });

  it('adds a blocks edge by default and a typed one with --type', async () => {
    const text = await town.gt(['bd', 'dep', 'add', a, b]);
    expect(text.stdout).toBe(`Added dependency: ${a} depends on ${b} (blocks)`);
    const json = await town.json(['bd', 'dep', 'add', b, c, '--type', 'waits-for']);
    expect(json).toEqual({ status: 'added', issue_id: b, depends_on_id: c, type: 'waits-for' });
  });

  it('lists dependencies and dependents of a bead', async () => {
    const views = await town.json<{ dependencies: Related[]; dependents: Related[] }>([
      'bd',
      'dep',
      'list',
      b,
    ]);
    expect(views.dependencies).toEqual([
      expect.objectContaining({ id: c, title: 'Bottom', dependency_type: 'waits-for' }),
    ]);
    expect(views.dependents).toEqual([
      expect.objectContaining({ id: a, title: 'Top', dependency_type: 'blocks' }),
    ]);
    const text = (await town.gt(['bd', 'dep', 'list', b])).stdout;
    expect(text.split('\n')).toEqual([
      `${b} depends on:`,
      `  → ${c} [P2] [task] open - Bottom (waits-for)`,
      `Depends on ${b}:`,
      `  ← ${a} [P2] [task] open - Top (blocks)`,
    ]);
  });

  it('walks the tree down, up with --reverse, and stops at --max-depth', async () => {
    expect((await town.gt(['bd', 'dep', 'tree', a])).stdout.split('\n')).toEqual([
      `${a}: Top [task] (open)`,
      `  ${b}: Middle [task] (open)`,
      `    ${c}: Bottom [task] (open)`,
    ]);
    const up = await town.json<{ id: string; depth: number; parent_id: string | null }[]>([
      'bd',
      'dep',
      'tree',
      c,
      '--reverse',
    ]);
    expect(up.map((node) => [node.id, node.depth, node.parent_id])).toEqual([
      [c, 0, null],
      [b, 1, c],
      [a, 2, b],
    ]);
    const shallow = await town.json<unknown[]>(['bd', 'dep', 'tree', a, '--max-depth', '1']);
    expect(shallow).toHaveLength(2);
    const bad = await town.gt(['bd', 'dep', 'tree', a, '--max-depth', '0']);
    expect(bad.stderr).toContain('--max-depth: must be at least 1 (got 0)');
  });

  it('refuses an edge that would close a cycle, a bad type, and an unknown bead', async () => {
    const cycle = await town.gt(['bd', 'dep', 'add', c, a]);
    expect(cycle.exitCode).toBe(4);
    expect(cycle.stderr).toContain('would create a cycle');
    const type = await town.gt(['bd', 'dep', 'add', c, a, '-t', 'Not A Type']);
    expect(type.exitCode).toBe(2);
    expect(type.stderr).toContain('--type: must be a lowercase identifier');
    const unknown = await town.gt(['bd', 'dep', 'add', c, 'hq-zzzz', '--json']);
    expect(unknown.exitCode).toBe(1);
    expect(jsonError(unknown)).toMatchObject({ code: 'not_found' });
    expect((await town.gt(['bd', 'dep', 'cycles'])).stdout).toBe('No dependency cycles');
  });

  it('removes an edge, and says when there is none', async () => {
    const removed = await town.json(['bd', 'dep', 'remove', a, b]);
    expect(removed).toEqual({ status: 'removed', issue_id: a, depends_on_id: b });
    const again = await town.gt(['bd', 'dep', 'remove', a, b]);
    expect(again.exitCode).toBe(3);
    expect(again.stderr).toContain(`dependency not found: ${a} -> ${b}`);
    expect((await town.gt(['bd', 'dep', 'list', a])).stdout).toBe(`${a} has no dependencies`);
  });

  it('finds cycles brought in by an import, as an array of id arrays in JSON', async () => {
    const file = join(town.root, 'cycle.jsonl');
    const line = (id: string, on: string): string =>
      JSON.stringify({
        id,
        title: id,
        status: 'open',
        priority: 2,
        issue_type: 'task',
        created_at: '2025-03-01T10:00:00Z',
        updated_at: '2025-03-01T10:00:00Z',
        dependencies: [
          { issue_id: id, depends_on_id: on, type: 'blocks', created_at: '2025-03-01T10:00:00Z' },
        ],
      });
    await writeFile(file, `${line('hq-cy1', 'hq-cy2')}\n${line('hq-cy2', 'hq-cy1')}\n`);
    expect((await town.gt(['bd', 'import', file])).exitCode).toBe(0);
    expect(await town.json(['bd', 'dep', 'cycles'])).toEqual([['hq-cy1', 'hq-cy2']]);
    const text = await town.gt(['bd', 'dep', 'cycles']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toBe('Found 1 dependency cycle:\n  hq-cy1 → hq-cy2 → hq-cy1');
  });
});

describe('gt bd label and comments', () => {
  let town: BdTown;
  beforeAll(async () => {
    town = await makeBdTown();
  });

  it('adds, lists and removes labels', async () => {
    const id = await town.create('Labelled', '-l', 'first');
    expect((await town.gt(['bd', 'label', 'add', id, 'second'])).stdout).toBe(
      `Added label 'second' to ${id}`,
    );
    expect(await town.json(['bd', 'label', 'list', id])).toEqual(['first', 'second']);
    expect(await town.json(['bd', 'label', 'remove', id, 'first'])).toEqual({
      status: 'removed',
      issue_id: id,
      label: 'first',
    });
    expect((await town.gt(['bd', 'label', 'list', id])).stdout).toBe('second');
    const bad = await town.gt(['bd', 'label', 'add', id, 'two words']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('label: must not contain spaces or commas (got two words)');
    const missing = await town.gt(['bd', 'label', 'add', 'hq-zzzz', 'x']);
    expect(missing.exitCode).toBe(3);
  });

  it('adds comments authored by the actor and lists them', async () => {
    const id = await town.create('Discussed');
    expect((await town.gt(['bd', 'comments', id])).stdout).toBe(`${id} has no comments`);
    expect((await town.gt(['bd', 'comments', 'add', id, 'first thought', '--actor', 'dana'])).stdout).toBe(
      `Comment added to ${id}`,
    );
    const added = await town.json<Record<string, unknown>>(['bd', 'comments', 'add', id, 'second thought']);
    expect(added).toMatchObject({ issue_id: id, author: 'overseer', text: 'second thought' });
    const list = await town.json<Record<string, unknown>[]>(['bd', 'comments', id]);
    expect(list.map((comment) => [comment.author, comment.text])).toEqual([
      ['dana', 'first thought'],
      ['overseer', 'second thought'],
    ]);
    const text = (await town.gt(['bd', 'comments', id])).stdout.split('\n');
    expect(text[0]).toMatch(/^\[dana\] \d{4}-\d{2}-\d{2}T/);
    expect(text[1]).toBe('  first thought');
    const empty = await town.gt(['bd', 'comments', 'add', id, '   ']);
    expect(empty.exitCode).toBe(2);
    expect(empty.stderr).toContain('text is required');
  });
});
