// The Refinery in local mode, ticked in-process against real git: a fast-forward that closes the
// bead and frees the polecat, a conflict that goes back for rework naming the file, and a failing
// check that never reaches the target — with the CLI (`gt refinery run`, `gt mq list`) on the way.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { branchExists } from '../../src/git/index.js';
import { gitIn } from '../support/git-fixtures.js';
import { removeTempDirs } from '../support/temp.js';
import { makeRefineryTown, type RefineryTown } from './refinery-fixture.js';

let town: RefineryTown | undefined;
afterEach(async () => {
  town?.close();
  town = undefined;
  await removeTempDirs();
});

describe('the Refinery, local mode', () => {
  it('fast-forwards the target, closes the bead with the merge commit and frees the polecat', async () => {
    town = await makeRefineryTown();
    const repo = town.repo();
    const before = await gitIn(repo, 'rev-parse', 'main');
    const slung = await town.sling('Add a greeting', ['echo hello > greeting.txt']);
    const mr = town.enqueue(slung);
    expect(town.enqueue(slung).id).toBe(mr.id);
    expect(mr).toMatchObject({
      state: 'queued',
      polecat: 'furiosa',
      branch: `polecat/furiosa/${slung.bead}`,
    });

    expect(await town.refinery().tick()).toBe('merged');

    const main = await gitIn(repo, 'rev-parse', 'main');
    expect(await gitIn(repo, 'rev-parse', 'main~1')).toBe(before);
    expect(await gitIn(repo, 'log', '-1', '--format=%B', 'main')).toContain(`Gas-Town-Bead: ${slung.bead}`);
    expect(await town.trailers('main', slung.bead)).toBe(1);
    expect(await gitIn(join(town.root, 'web', 'refinery'), 'show', 'HEAD:greeting.txt')).toBe('hello');
    expect(await gitIn(join(town.root, 'web', 'refinery'), 'status', '--porcelain')).toBe('');
    expect(town.mr(mr.id)).toMatchObject({ state: 'merged', merged_commit: main });
    const bead = await town.beadOf(slung.bead);
    expect(bead).toMatchObject({ status: 'closed', close_reason: `merged in ${main}` });
    expect(bead.labels).not.toContain('gt:review');
    expect(existsSync(slung.worktree)).toBe(false);
    expect(await branchExists(repo, slung.branch)).toBe(false);
    expect(town.polecat('furiosa')).toMatchObject({ state: 'idle', bead_id: null, worktree: null });
    expect(town.kinds(slung.bead)).toEqual([
      'merge.queued',
      'merge.started',
      'merge.checked',
      'merge.merged',
    ]);
    expect(existsSync(join(town.root, 'web', 'merging', `mr-${mr.id}`))).toBe(false);
    expect(await town.refinery().tick()).toBe('idle');
    expect((await town.gt('audit', 'verify')).exitCode).toBe(0);
  });

  it('sends the second of two changes to the same line back for rework, naming the file', async () => {
    town = await makeRefineryTown();
    const repo = town.repo();
    const first = await town.sling('Say one', ['echo one > README.md']);
    const second = await town.sling('Say two', ['echo two > README.md']);
    town.enqueue(first);
    const mr2 = town.enqueue(second);

    const run = JSON.parse(await town.ok('--json', 'refinery', 'run', 'web')) as { outcome: string }[];
    expect(run.map((r) => r.outcome)).toEqual(['merged', 'rework']);

    const main = await gitIn(repo, 'rev-parse', 'main');
    expect(town.mr(mr2.id - 1).merged_commit).toBe(main);
    expect(await gitIn(repo, 'show', 'main:README.md')).toBe('one');
    expect(await town.trailers('main', second.bead)).toBe(0);
    const rework = town.mr(mr2.id);
    expect(rework.state).toBe('rework');
    expect(rework.detail).toContain('README.md');
    const bead = await town.beadOf(second.bead);
    expect(bead).toMatchObject({ status: 'open' });
    expect(bead.assignee ?? null).toBeNull();
    expect(bead.labels).toEqual(['gt:rework']);
    expect(bead.comments.at(-1)?.text).toMatch(/Conflicting files:\n- README\.md/);
    expect(town.polecat('nux')).toMatchObject({ state: 'stopped', bead_id: second.bead });
    expect(existsSync(second.worktree)).toBe(true);
    expect(await gitIn(repo, 'rev-parse', second.branch)).toBe(second.head);
    const refinery = join(town.root, 'web', 'refinery');
    expect(await gitIn(refinery, 'status', '--porcelain')).toBe('');
    expect(await gitIn(refinery, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    const listed = JSON.parse(await town.ok('--json', 'mq', 'list', '--rig', 'web')) as { state: string }[];
    expect(listed.map((r) => r.state)).toEqual(['merged', 'rework']);
    expect(await town.ok('mq', 'list')).toContain(`rework     ${second.bead}`);
  });

  it('never lands a change whose check fails; the same rig merges one that passes', async () => {
    town = await makeRefineryTown();
    const check = 'echo "looking for must-exist.txt"; test -f must-exist.txt';
    await town.ok('rig', 'add', 'checked', town.remote.path, '--branch', 'main', '--check', check);
    const repo = town.repo('checked');
    const before = await gitIn(repo, 'rev-parse', 'main');
    const bad = await town.sling('Forget the file', ['echo nope > other.txt'], 'checked');
    const badMr = town.enqueue(bad);
    const refinery = town.refinery({ rig: 'checked' });

    expect(await refinery.tick()).toBe('rework');
    expect(await gitIn(repo, 'rev-parse', 'main')).toBe(before);
    expect(town.mr(badMr.id).state).toBe('rework');
    const comment = (await town.beadOf(bad.bead)).comments.at(-1)?.text ?? '';
    expect(comment).toContain(`the check \`${check}\` exited 1`);
    expect(comment).toContain('looking for must-exist.txt');
    expect(town.kinds(bad.bead)).toEqual(['merge.queued', 'merge.started', 'merge.rework']);

    const good = await town.sling('Add the file', ['touch must-exist.txt'], 'checked');
    const goodMr = town.enqueue(good);
    expect(await refinery.tick()).toBe('merged');
    expect(town.mr(goodMr.id).merged_commit).toBe(await gitIn(repo, 'rev-parse', 'main'));
    expect(await gitIn(repo, 'ls-tree', '--name-only', 'main')).toContain('must-exist.txt');
    expect(existsSync(join(town.root, 'checked', 'merging', `mr-${goodMr.id}`))).toBe(false);
    expect(await gitIn(repo, 'worktree', 'list', '--porcelain')).not.toContain('merging');
  });
});
