// `gt bd import` and `gt bd export` through the built binary: a bd-written JSONL file survives
// import + export field for field (unknown fields included); a bad file imports nothing and
// names the line; an export file is replaced atomically.
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../support/temp.js';
import { fixtureDir, objectsOf, readFixture } from '../beads/store-contract-trackers.js';
import type { BeadJson } from './bd-town.js';
import { jsonError, makeBdTown } from './bd-town.js';

afterAll(removeTempDirs);

/** Written by hand in bd's format: nanosecond timestamps with offsets, every relation kind. */
const fixture: Record<string, unknown>[] = [
  {
    id: 'bd-a1b2',
    title: 'Teach the parser about tabs',
    description: 'Tabs inside quoted strings are lost.\nSee the sample in the notes.',
    design: 'Track the quote state per line.',
    acceptance_criteria: 'Round-trips every sample.',
    notes: 'Reported twice.',
    status: 'in_progress',
    priority: 1,
    issue_type: 'bug',
    assignee: 'quill',
    owner: 'ledger-team',
    estimated_minutes: 120,
    created_at: '2025-10-30T09:12:44.123456789-07:00',
    created_by: 'quill',
    updated_at: '2025-10-31T16:02:03.000000001-07:00',
    external_ref: 'gh-812',
    labels: ['parser', 'p-urgent'],
    dependencies: [
      {
        issue_id: 'bd-a1b2',
        depends_on_id: 'bd-c3d4',
        type: 'blocks',
        created_at: '2025-10-30T09:15:00.5-07:00',
        created_by: 'quill',
      },
      {
        issue_id: 'bd-a1b2',
        depends_on_id: 'bd-e5f6',
        type: 'discovered-from',
        created_at: '2025-10-30T09:16:00Z',
        created_by: 'quill',
        metadata: '{"note":"found while testing"}',
      },
    ],
    comments: [
      {
        id: 1,
        issue_id: 'bd-a1b2',
        author: 'quill',
        text: 'Reproduced on main.',
        created_at: '2025-10-30T10:00:00.999999999+02:00',
      },
      { id: 2, issue_id: 'bd-a1b2', author: 'marsh', text: 'Same here.', created_at: '2025-10-30T11:00:00Z' },
    ],
    custom_field: { x: [1, 2] },
    source_repo: '.',
  },
  {
    id: 'bd-a1b2.1',
    title: 'Add a failing test',
    status: 'open',
    priority: 0,
    issue_type: 'task',
    created_at: '2025-10-30T09:20:00.000000000-07:00',
    updated_at: '2025-10-30T09:20:00.000000000-07:00',
    dependencies: [
      {
        issue_id: 'bd-a1b2.1',
        depends_on_id: 'bd-a1b2',
        type: 'parent-child',
        created_at: '2025-10-30T09:20:00-07:00',
      },
    ],
  },
  {
    id: 'bd-c3d4',
    title: 'Split the tokenizer module',
    status: 'closed',
    priority: 2,
    issue_type: 'chore',
    created_at: '2025-10-01T08:00:00.25+01:00',
    updated_at: '2025-10-20T08:00:00+01:00',
    closed_at: '2025-10-20T08:00:00+01:00',
    close_reason: 'Done in the refactor',
    defer_until: '2025-10-05T00:00:00Z',
    due_at: '2025-10-25T17:00:00-04:00',
    labels: ['refactor'],
    dependencies: [
      {
        issue_id: 'bd-c3d4',
        depends_on_id: 'bd-e5f6',
        type: 'related',
        created_at: '2025-10-02T00:00:00Z',
        created_by: 'marsh',
      },
    ],
    comments: [
      {
        id: 3,
        issue_id: 'bd-c3d4',
        author: 'marsh',
        text: 'Merged.',
        created_at: '2025-10-20T08:00:00+01:00',
      },
    ],
  },
  {
    id: 'bd-e5f6',
    title: 'Investigate flaky sample test',
    status: 'tombstone',
    priority: 3,
    issue_type: 'task',
    created_at: '2025-09-15T12:00:00.000001-05:00',
    updated_at: '2025-09-20T12:00:00-05:00',
    deleted_at: '2025-09-20T12:00:00-05:00',
    deleted_by: 'marsh',
    delete_reason: 'duplicate',
    original_type: 'bug',
  },
  {
    id: 'bd-g7h8',
    title: 'Write the tab-handling docs',
    status: 'open',
    priority: 4,
    issue_type: 'feature',
    created_at: '2025-11-01T00:00:00Z',
    updated_at: '2025-11-01T00:00:00Z',
    dependencies: [
      {
        issue_id: 'bd-g7h8',
        depends_on_id: 'bd-a1b2',
        type: 'waits-for',
        created_at: '2025-11-01T00:00:00Z',
      },
    ],
  },
];

const jsonl = (lines: readonly Record<string, unknown>[]): string =>
  lines.map((line) => JSON.stringify(line)).join('\n') + '\n';

describe('gt bd import / export', () => {
  it('round-trips a bd JSONL file: every exported line deep-equals its input line', async () => {
    const town = await makeBdTown();
    const file = join(town.root, 'issues.jsonl');
    await writeFile(file, jsonl(fixture));
    const imported = await town.gt(['bd', 'import', 'issues.jsonl']);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toBe('Imported: 5 created, 0 updated, 0 unchanged');

    const exported = await town.gt(['bd', 'export']);
    expect(exported.exitCode).toBe(0);
    const lines = exported.stdout.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.id)).toEqual(['bd-a1b2', 'bd-a1b2.1', 'bd-c3d4', 'bd-e5f6', 'bd-g7h8']);
    lines.forEach((line, n) => expect(line).toStrictEqual(fixture[n]));

    const again = await town.json(['bd', 'import', file]);
    expect(again).toEqual({ created: 0, updated: 0, unchanged: 5 });
  });

  it('reads the imported beads like any other: blocked, children, tombstones hidden', async () => {
    const town = await makeBdTown();
    await writeFile(join(town.root, 'issues.jsonl'), jsonl(fixture));
    await town.gt(['bd', 'import', 'issues.jsonl']);
    expect((await town.json<BeadJson[]>(['bd', 'list'])).map((bead) => bead.id)).toEqual([
      'bd-a1b2.1',
      'bd-a1b2',
      'bd-g7h8',
    ]);
    expect(
      (await town.json<BeadJson[]>(['bd', 'list', '--parent', 'bd-a1b2'])).map((bead) => bead.id),
    ).toEqual(['bd-a1b2.1']);
    const child = await town.json<BeadJson>(['bd', 'create', 'Another step', '--parent', 'bd-a1b2']);
    expect(child.id).toBe('bd-a1b2.2');
  });

  it('counts updated beads when a line changed', async () => {
    const town = await makeBdTown();
    const file = join(town.root, 'issues.jsonl');
    await writeFile(file, jsonl(fixture));
    await town.gt(['bd', 'import', file]);
    await writeFile(
      file,
      jsonl(fixture.map((line) => (line.id === 'bd-g7h8' ? { ...line, priority: 1 } : line))),
    );
    expect((await town.gt(['bd', 'import', file])).stdout).toBe(
      'Imported: 0 created, 1 updated, 4 unchanged',
    );
    const [bead] = await town.json<BeadJson[]>(['bd', 'show', 'bd-g7h8']);
    expect(bead!.priority).toBe(1);
  });

  it('imports nothing from a file with a bad line 3 and names the line', async () => {
    const town = await makeBdTown();
    await town.create('Already here');
    const before = (await town.gt(['bd', 'export'])).stdout;
    const lines =
      jsonl(fixture.slice(0, 2)) +
      JSON.stringify({ ...fixture[2], priority: 9 }) +
      '\n' +
      jsonl(fixture.slice(3));
    await writeFile(join(town.root, 'bad.jsonl'), lines);
    const result = await town.gt(['bd', 'import', 'bad.jsonl']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('bad.jsonl:3: priority: must be 0-4');
    expect((await town.gt(['bd', 'export'])).stdout).toBe(before);

    await writeFile(join(town.root, 'broken.jsonl'), jsonl(fixture.slice(0, 2)) + '{"id": "bd-x1",\n');
    const json = await town.gt(['bd', 'import', 'broken.jsonl', '--json']);
    expect(json.exitCode).toBe(1);
    expect(jsonError(json).error).toContain('broken.jsonl:3: not valid JSON');
    expect((await town.gt(['bd', 'export'])).stdout).toBe(before);
  });

  it('rolls the whole import back when the store rejects a bead midway', async () => {
    const town = await makeBdTown();
    const before = (await town.gt(['bd', 'export'])).stdout;
    const twice = {
      ...fixture[4],
      dependencies: [...(fixture[4]!.dependencies as unknown[]), ...(fixture[4]!.dependencies as unknown[])],
    };
    await writeFile(join(town.root, 'dup.jsonl'), jsonl([...fixture.slice(0, 4), twice]));
    const result = await town.gt(['bd', 'import', 'dup.jsonl']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('bd-g7h8');
    expect((await town.gt(['bd', 'export'])).stdout).toBe(before);
  });

  it('gives a clear error for a missing file', async () => {
    const town = await makeBdTown();
    const result = await town.gt(['bd', 'import', 'nowhere.jsonl']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toBe('gt: import: no such file: nowhere.jsonl');
  });

  it('writes -o files whole, replacing the old content, leaving no temp files', async () => {
    const town = await makeBdTown();
    await writeFile(join(town.root, 'issues.jsonl'), jsonl(fixture));
    await town.gt(['bd', 'import', 'issues.jsonl']);
    const out = join(town.root, 'out');
    await town.gt(['bd', 'export', '-o', 'out.jsonl']).then((r) => expect(r.exitCode).toBe(0));
    await writeFile(`${out}.jsonl`, 'stale\n');
    const result = await town.gt(['bd', 'export', '-o', 'out.jsonl']);
    expect(result.stdout).toBe(`Exported 5 beads to ${out}.jsonl`);
    expect(await readFile(`${out}.jsonl`, 'utf8')).toBe((await town.gt(['bd', 'export'])).stdout + '\n');
    expect((await readdir(town.root)).filter((name) => name.includes('.tmp'))).toEqual([]);
    const json = await town.json(['bd', 'export', '-o', 'out.jsonl']);
    expect(json).toEqual({ exported: 5, file: `${out}.jsonl` });
    const failed = await town.gt(['bd', 'export', '-o', join(town.root, 'no-such-dir', 'x.jsonl')]);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain('export: cannot write');
  });

  it('round-trips a real Gas Town tracker: same objects line for line, same bytes', async () => {
    const town = await makeBdTown();
    await copyFile(join(fixtureDir, 'gastown-tracker.jsonl'), join(town.root, 'issues.jsonl'));
    const imported = await town.json(['bd', 'import', 'issues.jsonl']);
    expect(imported).toEqual({ created: 21, updated: 0, unchanged: 0 });
    await town.gt(['bd', 'export', '-o', 'out.jsonl']).then((r) => expect(r.stderr).toBe(''));
    const text = readFixture('gastown-tracker.jsonl');
    const out = await readFile(join(town.root, 'out.jsonl'), 'utf8');
    objectsOf(out).forEach((object, n) => expect(object).toStrictEqual(objectsOf(text)[n]));
    expect(out).toBe(text);
    const [amber] = await town.json<BeadJson[]>(['bd', 'show', 'bd-beads-polecat-amber']);
    expect(amber).toMatchObject({ issue_type: 'agent', hook_bead: 'gt-abc12.1' });
    const [epic] = await town.json<BeadJson[]>(['bd', 'show', 'gt-abc12']);
    expect(epic!.title).toBe('Ship the v2 importer\n');
  });

  it('takes bd id shapes in create --id, --deps, --parent and dep add', async () => {
    const town = await makeBdTown();
    const mol = await town.json<BeadJson>([
      'bd',
      'create',
      'Molecule',
      '--id',
      ' bd-mol-02i ',
      '-t',
      'molecule',
    ]);
    expect(mol.id).toBe('bd-mol-02i');
    await town.create('Agent', '--id', 'bd-beads-polecat-amber', '-t', 'agent');
    const child = await town.create(
      'Step',
      '--parent',
      'bd-mol-02i',
      '--deps',
      'waits-for:bd-beads-polecat-amber',
    );
    expect(child).toBe('bd-mol-02i.1');
    const added = await town.json([
      'bd',
      'dep',
      'add',
      'bd-beads-polecat-amber',
      'bd-mol-02i.1',
      '-t',
      'related',
    ]);
    expect(added).toMatchObject({ status: 'added', depends_on_id: 'bd-mol-02i.1' });
    const titled = await town.json<BeadJson>(['bd', 'create', '  Spaced title\n', '-d', ' desc ']);
    expect(titled).toMatchObject({ title: '  Spaced title\n', description: ' desc ' });
    const taken = await town.gt(['bd', 'create', 'Again', '--id', 'bd-mol-02i']);
    expect(taken.exitCode).not.toBe(0);
    expect(taken.stderr).toContain('bd-mol-02i already exists');
    const bad = await town.gt(['bd', 'create', 'Bad', '--id', 'bd mol']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--id: is not a bead id');
    expect(bad.stderr).toContain('(got bd mol)');
  });

  it('imports nothing from a real tracker with one bad line, naming the line and field', async () => {
    const town = await makeBdTown();
    const before = (await town.gt(['bd', 'export'])).stdout;
    const lines = readFixture('gastown-tracker.jsonl').split('\n');
    const seventh = JSON.parse(lines[6]!) as Record<string, unknown>;
    lines[6] = JSON.stringify({ ...seventh, created_at: 'last tuesday' });
    await writeFile(join(town.root, 'bad.jsonl'), lines.join('\n'));
    const result = await town.gt(['bd', 'import', 'bad.jsonl']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('bad.jsonl:7: created_at: must be a date/time');
    expect((await town.gt(['bd', 'export'])).stdout).toBe(before);
  });
});
