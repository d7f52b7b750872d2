// `gt bd create` and `gt bd show`, through the built binary: every option lands in the bead,
// bad options are refused naming the flag, and nothing is created when anything is wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../support/temp.js';
import type { BdTown, BeadJson } from './bd-town.js';
import { jsonError, makeBdTown } from './bd-town.js';

afterAll(removeTempDirs);

describe('gt bd create', () => {
  let town: BdTown;
  beforeAll(async () => {
    town = await makeBdTown();
  });

  it('prints "Created <id>: <title>" and the bead gets an hq id, priority 2 and type task', async () => {
    const result = await town.gt(['bd', 'create', 'Fix the flux capacitor']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const match = /^Created (hq-[0-9a-z]+): Fix the flux capacitor$/.exec(result.stdout);
    expect(match).not.toBeNull();
    const [bead] = await town.json<BeadJson[]>(['bd', 'show', match![1]!]);
    expect(bead).toMatchObject({
      title: 'Fix the flux capacitor',
      status: 'open',
      priority: 2,
      issue_type: 'task',
    });
    expect(bead!.created_by).toBe('overseer');
  });

  it('applies every option and prints the bead object with --json', async () => {
    const blocker = await town.create('Blocker');
    const origin = await town.create('Where it was found');
    const bead = await town.json<BeadJson>([
      'bd',
      'create',
      'Everything at once',
      '-t',
      'feature',
      '-p',
      'P1',
      '-d',
      'the description',
      '-l',
      'ui,backend',
      '-a',
      'alice',
      '--deps',
      `${blocker},discovered-from:${origin}`,
      '--design',
      'the design',
      '--acceptance',
      'it works',
      '--notes',
      'some notes',
      '--estimate',
      '90',
      '--defer',
      '2099-01-02T03:04:05Z',
      '--due',
      '2099-02-03',
      '--external-ref',
      'gh-42',
      '--actor',
      'mayor',
    ]);
    expect(bead).toMatchObject({
      title: 'Everything at once',
      issue_type: 'feature',
      priority: 1,
      description: 'the description',
      labels: ['ui', 'backend'],
      assignee: 'alice',
      design: 'the design',
      acceptance_criteria: 'it works',
      notes: 'some notes',
      estimated_minutes: 90,
      defer_until: '2099-01-02T03:04:05.000Z',
      due_at: '2099-02-03T00:00:00.000Z',
      external_ref: 'gh-42',
      created_by: 'mayor',
    });
    expect(bead.dependencies?.map((d) => [d.type, d.depends_on_id])).toEqual([
      ['blocks', blocker],
      ['discovered-from', origin],
    ]);
  });

  it('makes a dotted child id with a parent-child edge for --parent', async () => {
    const epic = await town.create('An epic', '-t', 'epic');
    const first = await town.json<BeadJson>(['bd', 'create', 'Child one', '--parent', epic]);
    const second = await town.json<BeadJson>(['bd', 'create', 'Child two', '--parent', epic]);
    expect([first.id, second.id]).toEqual([`${epic}.1`, `${epic}.2`]);
    expect(first.dependencies).toEqual([
      expect.objectContaining({ depends_on_id: epic, type: 'parent-child' }),
    ]);
  });

  it.each([
    [['-p', '7'], '--priority: must be 0-4 (got 7)'],
    [['-p', 'P9'], '--priority: must be 0-4 (got P9)'],
    [['-p', 'high'], '--priority: must be 0-4 (got high)'],
    [['-t', 'bogus'], '--type: must be one of bug, feature, task'],
    [['--deps', 'Blocks:hq-abcd'], '--deps: bad entry "Blocks:hq-abcd"'],
    [['--deps', 'blocks:'], '--deps: bad entry "blocks:"'],
    [['--deps', 'related:not an id'], '--deps: bad entry "related:not an id"'],
    [['--estimate', '-5'], '--estimate: must be a whole number (got -5)'],
    [['-l', 'has space'], '--labels: must not contain spaces or commas (got has space)'],
    [['--defer', 'next tuesday'], '--defer: must be a date/time'],
    [['--parent', 'nope'], '--parent: is not a bead id'],
  ])('refuses %j naming the flag, with exit 2, and creates nothing', async (args, message) => {
    const before = await town.json<BeadJson[]>(['bd', 'list', '--all']);
    const result = await town.gt(['bd', 'create', 'Should not exist', ...args]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
    expect(await town.json<BeadJson[]>(['bd', 'list', '--all'])).toEqual(before);
  });

  it('refuses a dependency on an unknown bead and creates nothing (exit 3)', async () => {
    const before = await town.json<BeadJson[]>(['bd', 'list', '--all']);
    const result = await town.gt(['bd', 'create', 'Orphan', '--deps', 'hq-zzzz']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('hq-zzzz');
    expect(await town.json<BeadJson[]>(['bd', 'list', '--all'])).toEqual(before);
  });

  it('reports errors as {"error": …} on stderr with exit 1 under --json', async () => {
    const result = await town.gt(['bd', 'create', 'x', '-p', '9', '--json']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(jsonError(result)).toEqual({ error: '--priority: must be 0-4 (got 9)', code: 'invalid_input' });
  });
});

describe('gt bd show', () => {
  let town: BdTown;
  beforeAll(async () => {
    town = await makeBdTown();
  });

  it('shows fields, labels, dependencies, dependents and comments as text', async () => {
    const base = await town.create(
      'Base layer',
      '-p',
      '0',
      '-t',
      'bug',
      '-a',
      'bob',
      '-d',
      'line one\nline two',
      '-l',
      'core',
    );
    const top = await town.create('Top layer', '--deps', base);
    expect((await town.gt(['bd', 'comments', 'add', base, 'looks risky', '--actor', 'carol'])).exitCode).toBe(
      0,
    );
    const result = await town.gt(['bd', 'show', base]);
    expect(result.exitCode).toBe(0);
    const out = result.stdout;
    expect(out).toContain(`${base}: Base layer\n`);
    expect(out).toContain('Status: open  Priority: P0  Type: bug\n');
    expect(out).toContain('Assignee: bob\n');
    expect(out).toContain('Labels: core\n');
    expect(out).toContain('Description:\n  line one\n  line two\n');
    expect(out).toContain(`Dependents (1):\n  ← ${top} [P2] [task] open - Top layer (blocks)\n`);
    expect(out).toContain('Comments (1):\n  [carol] ');
    expect(out.endsWith('\n    looks risky')).toBe(true);
    const topText = (await town.gt(['bd', 'show', top])).stdout;
    expect(topText).toContain(`Depends on (1):\n  → ${base} [P0] [bug] open - Base layer @bob (blocks)`);
  });

  it('prints an array of bead objects with dependents for --json, one per id', async () => {
    const a = await town.create('Alpha');
    const b = await town.create('Beta', '--deps', `related:${a}`);
    const shown = await town.json<BeadJson[]>(['bd', 'show', a, b]);
    expect(shown.map((bead) => bead.id)).toEqual([a, b]);
    expect(shown[0]!.dependents).toEqual([
      expect.objectContaining({ id: b, title: 'Beta', status: 'open', dependency_type: 'related' }),
    ]);
    expect(shown[1]!.dependents).toBeUndefined();
    expect(shown[1]!.dependencies).toEqual([
      expect.objectContaining({ issue_id: b, depends_on_id: a, type: 'related' }),
    ]);
  });

  it('fails with "bead not found" and exit 3 for an unknown id', async () => {
    const result = await town.gt(['bd', 'show', 'hq-zzzz']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toBe('gt: bead not found: hq-zzzz');
    const json = await town.gt(['bd', 'show', 'hq-zzzz', '--json']);
    expect(json.exitCode).toBe(1);
    expect(jsonError(json)).toEqual({ error: 'bead not found: hq-zzzz', code: 'not_found' });
  });

  it('fails with exit 5 outside any town', async () => {
    const result = await town.gt(['bd', 'show', 'hq-zzzz'], '/');
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toContain('not inside a Gas Town');
  });
});
