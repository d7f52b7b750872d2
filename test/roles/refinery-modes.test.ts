// Merge modes `push` and `pr` against real remotes: push lands on the bare remote (rebasing onto
// what others pushed meanwhile, retrying once after a refused push, failing after two), and pr
// pushes the rebased branch and opens a pull request on a GitHub-shaped HTTP server.
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitFile, gitIn } from '../support/git-fixtures.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api.js';
import { removeTempDirs } from '../support/temp.js';
import { abandon, makeRefineryTown, type RefineryTown } from './refinery-fixture.js';

let town: RefineryTown | undefined;
let api: GitHubApi | undefined;
afterEach(async () => {
  town?.close();
  await api?.close();
  town = api = undefined;
  await removeTempDirs();
});

/** A pre-receive hook on the remote that refuses the first `times` pushes. */
async function refusePushes(path: string, times: number): Promise<void> {
  const hook = join(path, 'hooks', 'pre-receive');
  const script = `#!/bin/sh
n=$(cat "$GIT_DIR/refused" 2>/dev/null || echo 0)
if [ "$n" -lt ${times} ]; then echo $((n + 1)) > "$GIT_DIR/refused"; echo "not now ($n)" >&2; exit 1; fi
`;
  await writeFile(hook, script);
  await chmod(hook, 0o755);
}

describe('the Refinery, merge mode push', () => {
  it("rebases onto the remote's new commits, checks, and advances the remote's main", async () => {
    town = await makeRefineryTown();
    await town.setRigYaml({ merge_mode: 'push' });
    const slung = await town.sling('Add a greeting', ['echo hello > greeting.txt']);
    const mr = town.enqueue(slung);
    await commitFile(town.remote.work, 'OTHER.md', 'from someone else\n', 'meanwhile on main');
    await gitIn(town.remote.work, 'push', '--quiet', 'origin', 'main');
    const theirs = await gitIn(town.remote.path, 'rev-parse', 'main');

    expect(await town.refinery().tick()).toBe('merged');

    const remoteMain = await gitIn(town.remote.path, 'rev-parse', 'main');
    expect(remoteMain).not.toBe(theirs);
    expect(await gitIn(town.remote.path, 'rev-parse', 'main~1')).toBe(theirs);
    expect(remoteMain).not.toBe(slung.head);
    expect(town.mr(mr.id)).toMatchObject({ state: 'merged', merged_commit: remoteMain });
    expect(await gitIn(town.repo(), 'rev-parse', 'main')).toBe(remoteMain);
    expect(await town.trailers('main', slung.bead)).toBe(1);
    expect(await gitIn(town.remote.path, 'log', '-1', '--format=%cn', 'main')).toBe('web/refinery');
    expect(await gitIn(town.remote.path, 'log', '-1', '--format=%an', 'main')).toBe('web/polecats/furiosa');
    expect((await town.beadOf(slung.bead)).close_reason).toBe(`merged in ${remoteMain}`);
  });

  it('retries once after a refused push, and fails after a second refusal with main untouched', async () => {
    town = await makeRefineryTown();
    await town.setRigYaml({ merge_mode: 'push' });
    await refusePushes(town.remote.path, 1);
    const once = await town.sling('Refused once', ['echo a > a.txt']);
    town.enqueue(once);
    expect(await town.refinery().tick()).toBe('merged');
    expect(town.kinds(once.bead).filter((k) => k === 'merge.push_rejected')).toHaveLength(1);
    expect(await town.trailers('main', once.bead)).toBe(1);

    await refusePushes(town.remote.path, 3);
    const before = await gitIn(town.remote.path, 'rev-parse', 'main');
    const twice = await town.sling('Refused twice', ['echo b > b.txt']);
    const mr = town.enqueue(twice);
    expect(await town.refinery().tick()).toBe('failed');
    expect(await gitIn(town.remote.path, 'rev-parse', 'main')).toBe(before);
    expect(await gitIn(town.repo(), 'rev-parse', 'main')).toBe(before);
    expect(town.mr(mr.id)).toMatchObject({ state: 'failed', merged_commit: null });
    expect(town.mr(mr.id).detail).toContain('refused the push 2 times');
    const bead = await town.beadOf(twice.bead);
    expect(bead.status).toBe('in_progress');
    expect(bead.comments.at(-1)?.text).toContain('Refinery could not merge');
    expect(town.polecat(twice.polecat)).toMatchObject({ state: 'review', bead_id: twice.bead });
  });
});

describe('the Refinery, merge mode pr', () => {
  it('pushes the rebased branch and opens a pull request with the token; a retry finds the same one', async () => {
    town = await makeRefineryTown();
    api = await startGitHubApi('test-token');
    await town.setRigYaml({ merge_mode: 'pr', github: { api_url: api.url, repo: 'acme/web' } });
    const before = await gitIn(town.remote.path, 'rev-parse', 'main');
    const slung = await town.sling('Add a greeting', ['echo hello > greeting.txt']);
    const mr = town.enqueue(slung);
    const refinery = town.refinery({ env: { GITHUB_TOKEN: 'test-token' } });

    expect(await refinery.tick()).toBe('pr_open');

    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({
      method: 'POST',
      path: '/api/v3/repos/acme/web/pulls',
      authorization: 'Bearer test-token',
      accept: 'application/vnd.github+json',
      body: { title: 'Add a greeting', head: slung.branch, base: 'main' },
    });
    const opened = town.mr(mr.id);
    expect(opened).toMatchObject({ state: 'pr_open', pr_url: 'https://github.example/acme/web/pull/1' });
    expect(await gitIn(town.remote.path, 'rev-parse', slung.branch)).toBe(opened.merged_commit);
    expect(await gitIn(town.remote.path, 'rev-parse', 'main')).toBe(before);
    expect((await town.beadOf(slung.bead)).status).toBe('in_progress');
    expect(town.polecat('furiosa')?.state).toBe('review');
    expect(town.kinds(slung.bead).at(-1)).toBe('merge.pr_opened');
    expect(await refinery.tick()).toBe('idle');

    abandon(town, mr.id);
    expect(await refinery.tick()).toBe('pr_open');
    expect(api.pulls).toHaveLength(1);
    expect(api.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([
      'POST /api/v3/repos/acme/web/pulls',
      'POST /api/v3/repos/acme/web/pulls',
      'GET /api/v3/repos/acme/web/pulls',
    ]);
    expect(town.mr(mr.id).pr_url).toBe(opened.pr_url);
  });

  it('fails the request when GitHub refuses the token, leaving main alone', async () => {
    town = await makeRefineryTown();
    api = await startGitHubApi('the-right-token');
    await town.setRigYaml({ merge_mode: 'pr', github: { api_url: api.url, repo: 'acme/web' } });
    const before = await gitIn(town.remote.path, 'rev-parse', 'main');
    const slung = await town.sling('Add a greeting', ['echo hello > greeting.txt']);
    const mr = town.enqueue(slung);
    expect(await town.refinery({ env: { GITHUB_TOKEN: 'a-wrong-token' } }).tick()).toBe('failed');
    expect(await gitIn(town.remote.path, 'rev-parse', 'main')).toBe(before);
    expect(await gitIn(town.repo(), 'rev-parse', 'main')).toBe(before);
    expect(town.mr(mr.id).detail).toContain('(HTTP 401): Bad credentials');
    expect(api.pulls).toHaveLength(0);
    const noToken = await town.sling('Another', ['echo x > x.txt']);
    const mr2 = town.enqueue(noToken);
    expect(await town.refinery({ env: {} }).tick()).toBe('failed');
    expect(town.mr(mr2.id).detail).toContain('GITHUB_TOKEN');
  });
});
