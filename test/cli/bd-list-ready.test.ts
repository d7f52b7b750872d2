// `gt bd list`, `ready`, `blocked` and `stats` through the built binary: filters combine, the
// ready set leaves out blocked, deferred, claimed and closed work, and JSON has bd's shapes.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRemote } from '../support/git-fixtures.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';
import type { BdTown, BeadJson } from './bd-town.js';
import { makeBdTown } from './bd-town.js';

afterAll(removeTempDirs);

const ids = (beads: BeadJson[]): string[] => beads.map((bead) => bead.id);

describe('gt bd list', () => {
  let town: BdTown;
  let bug: string, feature: string, chore: string, closed: string, epic: string, child: string;
  beforeAll(async () => {
    town = await makeBdTown();
    bug = await town.create('A bug', '-t', 'bug', '-p', '1', '-a', 'alice', '-l', 'ui,urgent');
    feature = await town.create('A feature', '-t', 'feature', '-p', '3', '-l', 'ui');
    chore = await town.create('A chore', '-t', 'chore', '-p', '1', '-l', 'ops');
    closed = await town.create('Done already', '-l', 'ui');
    await town.json(['bd', 'close', closed]);
    epic = await town.create('An epic', '-t', 'epic', '-p', '0');
    child = await town.create('Epic child', '--parent', epic);
  });

  it('lists unclosed beads by priority, one compact line each', async () => {
    const result = await town.gt(['bd', 'list']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      `${epic} [P0] [epic] open - An epic`,
      `${bug} [P1] [bug] open - A bug @alice`,
      `${chore} [P1] [chore] open - A chore`,
      `${child} [P2] [task] open - Epic child`,
      `${feature} [P3] [feature] open - A feature`,
    ]);
  });

  it.each([
    [['--all'], () => [epic, bug, chore, closed, child, feature]],
    [['--status', 'closed'], () => [closed]],
    [['-s', 'open,closed', '-t', 'task'], () => [closed, child]],
    [['-t', 'bug'], () => [bug]],
    [['-a', 'alice'], () => [bug]],
    [['--label', 'ui'], () => [bug, feature]],
    [['--label', 'ui', '--label', 'urgent'], () => [bug]],
    [['-l', 'ui,urgent'], () => [bug]],
    [['--label-any', 'urgent,ops'], () => [bug, chore]],
    [['-p', 'P1'], () => [bug, chore]],
    [['--parent', 'PLACEHOLDER'], () => [child]],
    [['-n', '2'], () => [epic, bug]],
  ])('filters with %j', async (args, expected) => {
    const resolved = args.map((arg) => (arg === 'PLACEHOLDER' ? epic : arg));
    expect(ids(await town.json<BeadJson[]>(['bd', 'list', ...resolved]))).toEqual(expected());
  });

  it('says so when nothing matches, and refuses a bad --status naming it', async () => {
    expect((await town.gt(['bd', 'list', '-t', 'gate'])).stdout).toBe('No beads found');
    const bad = await town.gt(['bd', 'list', '--status', 'opne']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--status: must be one of open, in_progress');
    expect(bad.stderr).toContain('(got opne)');
  });
});

describe('gt bd ready and blocked', () => {
  let town: BdTown;
  let blocker: string, blocked: string, parent: string, grandchild: string, deferred: string, free: string;
  beforeAll(async () => {
    town = await makeBdTown();
    blocker = await town.create('Blocker', '-p', '1');
    blocked = await town.create('Blocked', '--deps', `blocks:${blocker}`);
    parent = await town.create('Blocked parent', '-t', 'epic', '--deps', blocker);
    const kid = await town.create('Kid', '--parent', parent);
    grandchild = await town.create('Grandchild', '--parent', kid);
    deferred = await town.create('Later', '--defer', '+7d');
    await town.create('Was deferred', '--defer', '2001-01-01T00:00:00Z');
    free = await town.create('Free', '-p', '0', '-a', 'bob', '-l', 'x');
    const claimed = await town.create('Claimed');
    await town.json(['bd', 'update', claimed, '--claim']);
  });

  it('leaves out blocked beads, children of blocked parents, deferred and in-progress work', async () => {
    const ready = await town.json<BeadJson[]>(['bd', 'ready', '--sort', 'priority']);
    expect(ready.map((bead) => bead.title)).toEqual(['Free', 'Blocker', 'Was deferred']);
    expect(ids(ready)).not.toContain(deferred);
    const text = await town.gt(['bd', 'ready', '--sort', 'priority', '-n', '1']);
    expect(text.stdout).toBe(`${free} [P0] [task] open - Free @bob`);
  });

  it('filters by assignee, --unassigned, label, type and priority', async () => {
    expect(ids(await town.json<BeadJson[]>(['bd', 'ready', '-a', 'bob']))).toEqual([free]);
    expect(ids(await town.json<BeadJson[]>(['bd', 'ready', '--label', 'x']))).toEqual([free]);
    expect(ids(await town.json<BeadJson[]>(['bd', 'ready', '-p', '1']))).toEqual([blocker]);
    expect(await town.json<BeadJson[]>(['bd', 'ready', '-t', 'epic'])).toEqual([]);
    const unassigned = await town.json<BeadJson[]>(['bd', 'ready', '--unassigned']);
    expect(ids(unassigned)).not.toContain(free);
    expect(unassigned).toHaveLength(2);
  });

  it('refuses contradictory or malformed options', async () => {
    const both = await town.gt(['bd', 'ready', '-a', 'bob', '--unassigned']);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain('--assignee and --unassigned cannot be used together');
    const sort = await town.gt(['bd', 'ready', '--sort', 'random']);
    expect(sort.stderr).toContain('--sort: must be one of hybrid, priority, oldest (got random)');
    const limit = await town.gt(['bd', 'ready', '-n', 'ten']);
    expect(limit.stderr).toContain('--limit: must be a whole number (got ten)');
  });

  it('lists blocked beads with their blockers, as bd BlockedIssue objects in JSON', async () => {
    const list = await town.json<(BeadJson & { blocked_by: string[]; blocked_by_count: number })[]>([
      'bd',
      'blocked',
    ]);
    const byId = new Map(list.map((item) => [item.id, item]));
    expect([...byId.keys()].sort()).toEqual([blocked, parent, grandchild, `${parent}.1`].sort());
    expect(byId.get(grandchild)).toMatchObject({
      title: 'Grandchild',
      blocked_by: [blocker],
      blocked_by_count: 1,
    });
    const text = await town.gt(['bd', 'blocked']);
    expect(text.stdout).toContain(`${blocked} [P2] [task] open - Blocked\n  blocked by: ${blocker}`);
  });

  it('unblocks everything once the blocker closes', async () => {
    await town.json(['bd', 'close', blocker, '--reason', 'done']);
    expect(await town.json(['bd', 'blocked'])).toEqual([]);
    expect((await town.gt(['bd', 'blocked'])).stdout).toBe('No blocked beads');
    const ready = ids(await town.json<BeadJson[]>(['bd', 'ready', '-n', '0']));
    expect(ready).toEqual(expect.arrayContaining([blocked, parent, grandchild]));
    await town.json(['bd', 'reopen', blocker]);
  });

  it('reports counts as a bd Stats object', async () => {
    const stats = await town.json<Record<string, number>>(['bd', 'stats']);
    expect(stats).toMatchObject({
      total_issues: 9,
      open_issues: 8,
      in_progress_issues: 1,
      closed_issues: 0,
      blocked_issues: 4,
      deferred_issues: 0,
      ready_issues: 3,
      tombstone_issues: 0,
    });
    expect((await town.gt(['bd', 'stats'])).stdout).toContain('Ready:        3');
  });
});

describe('gt bd ready limits and rigs', () => {
  it('shows ten beads by default, as bd does; -n changes it and -n 0 shows all', async () => {
    const town = await makeBdTown();
    const lines = Array.from({ length: 12 }, (_, n) =>
      JSON.stringify({
        id: `hq-t${n.toString(36)}`,
        title: `Bead ${n}`,
        status: 'open',
        priority: n % 3,
        issue_type: 'task',
        created_at: `2025-01-01T00:00:${String(n).padStart(2, '0')}Z`,
        updated_at: '2025-01-01T00:00:00Z',
      }),
    );
    const file = join(town.root, 'many.jsonl');
    await writeFile(file, lines.join('\n') + '\n');
    expect((await town.gt(['bd', 'import', file])).stdout).toBe(
      'Imported: 12 created, 0 updated, 0 unchanged',
    );
    expect(await town.json<BeadJson[]>(['bd', 'ready'])).toHaveLength(10);
    expect(await town.json<BeadJson[]>(['bd', 'ready', '-n', '0'])).toHaveLength(12);
    const oldest = await town.json<BeadJson[]>(['bd', 'ready', '--sort', 'oldest', '-n', '3']);
    expect(ids(oldest)).toEqual(['hq-t0', 'hq-t1', 'hq-t2']);
    const byPriority = await town.json<BeadJson[]>(['bd', 'ready', '--sort', 'priority', '-n', '3']);
    expect(ids(byPriority)).toEqual(['hq-t0', 'hq-t3', 'hq-t6']);
  });

  it("gives beads the rig's prefix with --rig or inside the rig, and ready --rig shows only that rig", async () => {
    const town = await makeBdTown();
    const remote = await makeRemote(await makeTempDir('gt-bd-remote'));
    const added = await town.gt(['rig', 'add', 'webapp', remote.path, '--prefix', 'web']);
    expect(added.stderr).toBe('');
    expect(added.exitCode).toBe(0);
    const inRig = await town.create('Rig work', '--rig', 'webapp');
    const fromCwd = (await town.json<BeadJson>(['bd', 'create', 'From inside'], join(town.root, 'webapp')))
      .id;
    const townLevel = await town.create('Town work');
    expect(inRig).toMatch(/^web-/);
    expect(fromCwd).toMatch(/^web-/);
    expect(townLevel).toMatch(/^hq-/);
    expect(ids(await town.json<BeadJson[]>(['bd', 'ready', '--rig', 'webapp'])).sort()).toEqual(
      [inRig, fromCwd].sort(),
    );
    const unknown = await town.gt(['bd', 'create', 'Nowhere', '--rig', 'nosuch']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('--rig: no rig named nosuch');
  });
});
