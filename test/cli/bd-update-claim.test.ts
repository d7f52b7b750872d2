// `gt bd update`, `--claim`, `close` and `reopen` through the built binary: fields change and
// clear, a claim is atomic across processes, and state changes that make no sense are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGt } from '../support/cli.js';
import { removeTempDirs } from '../support/temp.js';
import type { BdTown, BeadJson } from './bd-town.js';
import { jsonError, makeBdTown } from './bd-town.js';

afterAll(removeTempDirs);

describe('gt bd update', () => {
  let town: BdTown;
  beforeAll(async () => {
    town = await makeBdTown();
  });

  it('changes fields and prints the updated beads as a JSON array', async () => {
    const id = await town.create('Old title', '-d', 'old description', '-a', 'alice', '--estimate', '30');
    const [bead] = await town.json<BeadJson[]>([
      'bd',
      'update',
      id,
      '--title',
      'New title',
      '-p',
      'P0',
      '-s',
      'blocked',
      '-t',
      'bug',
      '--design',
      'd',
      '--notes',
      'n',
      '--acceptance',
      'a',
      '--due',
      '2030-05-06T07:08:09Z',
    ]);
    expect(bead).toMatchObject({
      id,
      title: 'New title',
      priority: 0,
      status: 'blocked',
      issue_type: 'bug',
      design: 'd',
      notes: 'n',
      acceptance_criteria: 'a',
      due_at: '2030-05-06T07:08:09.000Z',
      description: 'old description',
    });
    const text = await town.gt(['bd', 'update', id, '-s', 'open']);
    expect(text.stdout).toBe(`Updated ${id}: New title`);
  });

  it('clears optional fields given as ""', async () => {
    const id = await town.create(
      'Clearable',
      '-d',
      'text',
      '-a',
      'alice',
      '--estimate',
      '30',
      '--defer',
      '+1d',
    );
    const [bead] = await town.json<BeadJson[]>([
      'bd',
      'update',
      id,
      '-d',
      '',
      '-a',
      '',
      '--estimate',
      '',
      '--defer',
      '',
    ]);
    expect(bead).not.toHaveProperty('description');
    expect(bead).not.toHaveProperty('assignee');
    expect(bead).not.toHaveProperty('estimated_minutes');
    expect(bead).not.toHaveProperty('defer_until');
  });

  it('refuses a bad value naming the flag and changes nothing', async () => {
    const id = await town.create('Untouched', '-p', '3');
    for (const [args, message] of [
      [['-p', '5'], '--priority: must be 0-4 (got 5)'],
      [['-s', 'done'], '--status: must be one of'],
      [['--estimate', '1.5'], '--estimate: must be a whole number (got 1.5)'],
      [['--due', 'soon'], '--due: must be a date/time'],
      [[], 'update: nothing to change'],
    ] as const) {
      const result = await town.gt(['bd', 'update', id, ...args]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(message);
    }
    const [bead] = await town.json<BeadJson[]>(['bd', 'show', id]);
    expect(bead).toMatchObject({ priority: 3, status: 'open' });
    expect(bead!.updated_at).toBe(bead!.created_at);
  });

  it('fails with exit 3 for an unknown id', async () => {
    const result = await town.gt(['bd', 'update', 'hq-zzzz', '-p', '1']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('bead not found: hq-zzzz');
  });
});

describe('gt bd update --claim', () => {
  let town: BdTown;
  beforeAll(async () => {
    town = await makeBdTown();
  });

  it('claims for the actor; a second actor is refused with "already claimed by"', async () => {
    const id = await town.create('Claim me');
    const [mine] = await town.json<BeadJson[]>(['bd', 'update', id, '--claim', '--actor', 'alice']);
    expect(mine).toMatchObject({ status: 'in_progress', assignee: 'alice' });
    const again = await town.gt(['bd', 'update', id, '--claim', '--actor', 'alice']);
    expect(again.exitCode).toBe(0);
    const other = await town.gt(['bd', 'update', id, '--claim', '--actor', 'bob']);
    expect(other.exitCode).toBe(4);
    expect(other.stderr).toContain(`bead ${id} is already claimed by alice`);
    const json = await town.gt(['bd', 'update', id, '--claim', '--actor', 'bob', '--json']);
    expect(json.exitCode).toBe(1);
    expect(jsonError(json)).toMatchObject({ code: 'already_claimed' });
    const [after] = await town.json<BeadJson[]>(['bd', 'show', id]);
    expect(after).toMatchObject({ status: 'in_progress', assignee: 'alice' });
  });

  it('takes the claimant from $GT_ACTOR as well', async () => {
    const id = await town.create('Env claim');
    const result = await runGt(['bd', 'update', id, '--claim'], {
      cwd: town.root,
      env: { GT_ACTOR: 'rig/polecats/ace' },
    });
    expect(result.stdout).toBe(`Claimed ${id}: Env claim`);
    const [bead] = await town.json<BeadJson[]>(['bd', 'show', id]);
    expect(bead!.assignee).toBe('rig/polecats/ace');
  });

  it('lets exactly one of two racing claimants win', async () => {
    for (let round = 0; round < 3; round++) {
      const id = await town.create(`Race ${round}`);
      const results = await Promise.all(
        ['red', 'blue'].map((actor) => town.gt(['bd', 'update', id, '--claim', '--actor', actor])),
      );
      const winners = results.filter((result) => result.exitCode === 0);
      const losers = results.filter((result) => result.exitCode !== 0);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      const [bead] = await town.json<BeadJson[]>(['bd', 'show', id]);
      expect(losers[0]!.stderr).toContain(`already claimed by ${bead!.assignee}`);
      expect(['red', 'blue']).toContain(bead!.assignee);
    }
  });

  it('refuses to claim a closed bead', async () => {
    const id = await town.create('Finished');
    await town.json(['bd', 'close', id]);
    const result = await town.gt(['bd', 'update', id, '--claim']);
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain('cannot be claimed: it is closed');
  });
});

describe('gt bd close and reopen', () => {
  let town: BdTown;
  beforeAll(async () => {
    town = await makeBdTown();
  });

  it('closes several beads with a reason and reopens them', async () => {
    const a = await town.create('First');
    const b = await town.create('Second');
    const text = await town.gt(['bd', 'close', a, b, '-r', 'shipped']);
    expect(text.stdout.split('\n')).toEqual([`Closed ${a}: shipped`, `Closed ${b}: shipped`]);
    const [closed] = await town.json<BeadJson[]>(['bd', 'show', a]);
    expect(closed).toMatchObject({ status: 'closed', close_reason: 'shipped' });
    expect(closed!.closed_at).toEqual(expect.any(String));
    const reopened = await town.json<BeadJson[]>(['bd', 'reopen', a, b]);
    expect(reopened.map((bead) => bead.status)).toEqual(['open', 'open']);
    expect(reopened[0]).not.toHaveProperty('closed_at');
    expect(reopened[0]).not.toHaveProperty('close_reason');
  });

  it('refuses to close a closed bead or reopen an open one (exit 4)', async () => {
    const id = await town.create('Once');
    await town.json(['bd', 'close', id]);
    const twice = await town.gt(['bd', 'close', id]);
    expect(twice.exitCode).toBe(4);
    expect(twice.stderr).toContain(`bead ${id} is already closed`);
    await town.json(['bd', 'reopen', id]);
    const reopenOpen = await town.gt(['bd', 'reopen', id]);
    expect(reopenOpen.exitCode).toBe(4);
    expect(reopenOpen.stderr).toContain(`bead ${id} is open, not closed`);
  });
});
