// The Refinery against git that fails for a moment, for real: a linked-worktree entry half made by
// another git process (`worktrees/<n>/commondir` still empty) makes every git command that lists
// worktrees die. The Refinery retries such errors; one that outlasts the retries gives the request
// back to the queue at once — never `merging` until its lease runs out — and it lands once the
// obstacle is gone.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isTransientGitError, retryTransientGit } from '../../src/git/transient.js';
import { GasTownError, ErrorCode } from '../../src/errors.js';
import { gitIn } from '../support/git-fixtures.js';
import { removeTempDirs } from '../support/temp.js';
import { makeRefineryTown, type RefineryTown } from './refinery-fixture.js';

let town: RefineryTown | undefined;
afterEach(async () => {
  town?.close();
  town = undefined;
  await removeTempDirs();
});

/** What `git worktree add` leaves for a moment while it creates a worktree. */
function halfMadeWorktree(repo: string): string {
  const dir = join(repo, 'worktrees', 'half-made');
  const worktree = join(repo, '..', 'half-made');
  mkdirSync(dir, { recursive: true });
  mkdirSync(worktree, { recursive: true });
  writeFileSync(join(worktree, '.git'), `gitdir: ${dir}\n`);
  writeFileSync(join(dir, 'commondir'), '');
  writeFileSync(join(dir, 'gitdir'), `${join(worktree, '.git')}\n`);
  writeFileSync(join(dir, 'HEAD'), 'ref: refs/heads/main\n');
  return dir;
}

describe('transient git errors', () => {
  it('classifies races with other git processes as transient, and nothing else', async () => {
    const git = (message: string) => new GasTownError(ErrorCode.git, message);
    expect(
      isTransientGitError(git('git worktree failed: fatal: failed to read worktrees/x/commondir: Success')),
    ).toBe(true);
    expect(isTransientGitError(git("fatal: Unable to create '/r/index.lock': File exists."))).toBe(true);
    expect(isTransientGitError(git("error: cannot lock ref 'refs/heads/main'"))).toBe(true);
    expect(isTransientGitError(git('fatal: not a valid object name: main'))).toBe(false);
    expect(isTransientGitError(new GasTownError(ErrorCode.conflict, 'unable to read the plan'))).toBe(false);
    let calls = 0;
    const pauses: number[] = [];
    const result = await retryTransientGit(
      async () => {
        if (++calls < 3) throw git('fatal: failed to read worktrees/x/commondir');
        return 'ok';
      },
      { baseMs: 10, sleep: async (ms) => void pauses.push(ms) },
    );
    expect(result).toBe('ok');
    expect(pauses).toEqual([10, 20]);
    await expect(
      retryTransientGit(async () => Promise.reject(git('fatal: bad revision')), {
        sleep: async () => undefined,
      }),
    ).rejects.toThrow('bad revision');
  });

  it('retries while another git process holds the repository, then lands', async () => {
    town = await makeRefineryTown();
    const repo = town.repo();
    const slung = await town.sling('Add a greeting', ['echo hello > greeting.txt']);
    const mr = town.enqueue(slung);
    const obstacle = halfMadeWorktree(repo);
    // The obstacle is real: git itself refuses while it is there.
    await expect(gitIn(repo, 'worktree', 'list')).rejects.toThrow(
      /failed to read worktrees\/half-made\/commondir/,
    );
    // The other process finishes when the Refinery has met the error once.
    const stop = town.services.ledger.subscribe((event) => {
      if (event.kind === 'merge.git_retry') rmSync(obstacle, { recursive: true, force: true });
    });
    try {
      expect(await town.refinery({ gitRetry: { attempts: 5, baseMs: 50 } }).tick()).toBe('merged');
    } finally {
      stop();
    }
    expect(town.kinds(slung.bead)).toContain('merge.git_retry');
    expect(town.mr(mr.id).state).toBe('merged');
    expect(await town.trailers('main', slung.bead)).toBe(1);
  });

  it('gives the request back at once when git stays busy, and lands it once git is free', async () => {
    town = await makeRefineryTown();
    const repo = town.repo();
    const slung = await town.sling('Add a greeting', ['echo hello > greeting.txt']);
    const mr = town.enqueue(slung);
    const obstacle = halfMadeWorktree(repo);
    const refinery = town.refinery({ gitRetry: { attempts: 2, baseMs: 10 } });
    expect(await refinery.tick()).toBe('requeued');
    const back = town.mr(mr.id);
    expect(back.state).toBe('queued');
    expect(back.detail).toContain('commondir');
    // Git fails while the Refinery finishes a landing (removing the polecat's worktree): the work
    // may be on main already; the next take recognises it instead of merging it twice.
    expect(await town.trailers('main', slung.bead)).toBeLessThanOrEqual(1);
    expect(town.kinds(slung.bead)).toEqual(
      expect.arrayContaining(['merge.started', 'merge.git_retry', 'merge.requeued']),
    );
    rmSync(obstacle, { recursive: true, force: true });
    expect(await refinery.tick()).toBe('merged');
    expect(town.mr(mr.id).state).toBe('merged');
    expect(await town.trailers('main', slung.bead)).toBe(1);
    expect((await town.gt('audit', 'verify')).exitCode).toBe(0);
  });
});
