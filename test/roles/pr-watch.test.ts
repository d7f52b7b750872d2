// PR mode closes the loop: after the Refinery opens a pull request (real town, real git, the test
// server speaking GitHub's REST API), the watcher polls it on an injected clock — with ETags (304s),
// backoff and rate limits — and ends it the way GitHub says: merged (bead closed with the real merge
// commit, worktree and branch removed), closed (bead blocked, escalation), changes requested (a
// rework round with the review text), reviewers' commits recorded, `auto_merge` after an approval.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { queryEvents } from '../../src/ledger/index.js';
import { reportConvoys } from '../../src/mayor/index.js';
import { createConvoy } from '../../src/roles/convoy/convoy.js';
import { dispatchConvoy, markConvoyLaunched } from '../../src/roles/convoy/convoy-dispatch.js';
import { listEscalations } from '../../src/roles/comms/escalations.js';
import { PrWatch } from '../../src/roles/refinery/pr-watch.js';
import { gitIn } from '../support/git-fixtures.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api.js';
import { removeTempDirs } from '../support/temp.js';
import { makeRefineryTown, type RefineryTown, type Slung } from './refinery-fixture.js';

let town: RefineryTown | undefined;
let api: GitHubApi | undefined;
afterEach(async () => {
  town?.close();
  await api?.close();
  town = undefined;
  api = undefined;
  await removeTempDirs();
});

const token = 'watch-token';
const t0 = Date.parse('2030-01-01T00:00:00.000Z');
const s = (seconds: number) => t0 + seconds * 1000;

/** A town in pr mode with one bead's pull request open (#1, its head the commit the town pushed). */
async function openPr(github: Record<string, unknown> = {}) {
  town = await makeRefineryTown();
  api = await startGitHubApi(token);
  await town.setRigYaml({ merge_mode: 'pr', github: { api_url: api.url, repo: 'acme/web', ...github } });
  const slung = await town.sling('Add a greeting', ['echo hello > greeting.txt']);
  const mr = town.enqueue(slung);
  expect(await town.refinery({ env: { GITHUB_TOKEN: token } }).tick()).toBe('pr_open');
  const pushed = town.mr(mr.id).merged_commit!;
  api.setHead(1, pushed);
  const made = await createConvoy(town.services, { name: 'Greeting', beads: [slung.bead] }, 'mayor');
  markConvoyLaunched(town.services, made.convoy.id, 'mayor');
  const watch = new PrWatch({
    town: town.services,
    root: town.root,
    rig: town.rig,
    env: { GITHUB_TOKEN: token },
  });
  return { town, api, slung, mr: town.mr(mr.id), pushed, watch, convoy: made.convoy.id };
}

const watchCalls = (gh: GitHubApi) => gh.requests.filter((r) => r.method !== 'POST');

async function expectCleanedUp(t: RefineryTown, slung: Slung): Promise<void> {
  expect(existsSync(slung.worktree)).toBe(false);
  expect(await gitIn(t.repo(), 'branch', '--list', slung.branch)).toBe('');
}

describe('watching a pull request', () => {
  it('polls with ETags, records reviewers’ commits, and closes the bead with GitHub’s merge commit', async () => {
    const { town, api, slung, mr, watch, convoy } = await openPr();
    // The pull request tells reviewers what the town knows: the bead, the check, the cost, the trace.
    const opened = api.requests.find((r) => r.method === 'POST')!.body as { body: string };
    expect(opened.body).toContain(`**Bead ${slung.bead}**: Add a greeting`);
    expect(opened.body).toContain('the rig has no check configured');
    expect(opened.body).toMatch(/- Cost: \$\d+\.\d{4} \(\d+ tokens\)\./);
    expect(opened.body).toContain(`- Trace: \`gt trace ${slung.bead}\``);
    expect(await reportConvoys(town.services)).toEqual([]); // an open pull request is no news
    expect(await watch.tick(s(0))).toEqual([{ mr: mr.id, outcome: 'waiting' }]);
    expect(watchCalls(api).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /api/v3/repos/acme/web/pulls/1 200',
      'GET /api/v3/repos/acme/web/pulls/1/reviews?per_page=100 200',
    ]);
    expect(await watch.tick(s(10))).toEqual([]); // not due before poll_seconds (30)
    expect(watchCalls(api)).toHaveLength(2);
    await watch.tick(s(30));
    expect(
      watchCalls(api)
        .slice(2)
        .map((r) => [r.status, r.ifNoneMatch]),
    ).toEqual([
      [304, 'W/"p1-1"'],
      [304, 'W/"r1-1"'],
    ]);

    const reviewerCommit = 'c'.repeat(40);
    api.push(1, reviewerCommit);
    await watch.tick(s(60));
    const pushed = queryEvents(town.services.db, { beadId: slung.bead, kind: 'merge.pr_commits' });
    expect(pushed.map((e) => e.payload)).toEqual([
      { mr: mr.id, number: 1, head: reviewerCommit, previous: mr.merged_commit },
    ]);
    expect((await town.beadOf(slung.bead)).status).toBe('in_progress');

    const mergeCommit = 'f'.repeat(40);
    api.merge(1, mergeCommit);
    expect(await watch.tick(s(90))).toEqual([{ mr: mr.id, outcome: 'merged' }]);
    const bead = await town.beadOf(slung.bead);
    expect(bead.status).toBe('closed');
    expect(bead.close_reason).toContain(`merged in ${mergeCommit} (pull request #1`);
    expect(town.mr(mr.id)).toMatchObject({ state: 'merged', merged_commit: mergeCommit });
    expect(town.polecat(slung.polecat)?.state).toBe('idle');
    await expectCleanedUp(town, slung);
    expect(town.kinds(slung.bead).at(-1)).toBe('merge.merged');
    expect(await town.ok('trace', slung.bead)).toContain(
      `merged ${mergeCommit.slice(0, 12)} into main (pull request #1, merged on GitHub)`,
    );
    expect(await watch.tick(s(200))).toEqual([]);

    // The convoy lands and the Mayor's mail names the pull request and the merge GitHub made.
    await dispatchConvoy(town.services, town.root, convoy, { actor: 'mayor', home: town.scratch });
    const [report] = await reportConvoys(town.services);
    const mail = town.services.db.prepare('SELECT body FROM mail ORDER BY rowid DESC LIMIT 1').get() as {
      body: string;
    };
    expect(report).toBeDefined();
    expect(mail.body).toContain(
      `merged ${mergeCommit.slice(0, 12)} (pull request https://github.example/acme/web/pull/1)`,
    );
  });

  it('blocks the bead with an escalation when the pull request is closed without merging', async () => {
    const { town, api, slung, mr, watch } = await openPr();
    api.closePull(1);
    expect(await watch.tick(s(0))).toEqual([{ mr: mr.id, outcome: 'closed' }]);
    const bead = await town.beadOf(slung.bead);
    expect(bead.status).toBe('blocked');
    expect(bead.labels).toContain('gt:escalated');
    expect(bead.comments.at(-1)?.text).toContain('pull request #1 was closed without merging');
    expect(town.mr(mr.id).state).toBe('failed');
    expect(listEscalations(town.services.db).map((e) => [e.kind, e.bead_id])).toEqual([
      ['pr_closed', slung.bead],
    ]);
    expect(await gitIn(town.remote.path, 'rev-parse', slung.branch)).toBe(mr.merged_commit);
    const [report] = await reportConvoys(town.services);
    const mail = town.services.db
      .prepare('SELECT subject, body FROM mail ORDER BY rowid DESC LIMIT 1')
      .get() as {
      subject: string;
      body: string;
    };
    expect(report).toBeDefined();
    expect(mail.subject).toContain('is stuck');
    expect(mail.body).toContain('pr_closed');
    expect(mail.body).not.toMatch(/merged [0-9a-f]{12}/);
  });

  it('sends requested changes back to the polecat with the review text', async () => {
    const { town, api, slung, mr, watch } = await openPr();
    api.review(1, 'octocat', 'COMMENTED', 'looks fine so far');
    api.review(1, 'hubot', 'CHANGES_REQUESTED', 'Please greet the world, not just hello.');
    expect(await watch.tick(s(0))).toEqual([{ mr: mr.id, outcome: 'rework' }]);
    const bead = await town.beadOf(slung.bead);
    expect(bead.status).toBe('open');
    expect(bead.labels).toContain('gt:rework');
    expect(bead.comments.at(-1)?.text).toContain('hubot wrote:\nPlease greet the world, not just hello.');
    expect(town.mr(mr.id).state).toBe('rework');
    expect(await town.ok('trace', slung.bead)).toContain(
      'changes requested on pull request #1 by hubot: rework round 1',
    );
  });

  it('auto_merge with require_review merges through the merge endpoint only after an approval', async () => {
    const { town, api, slung, mr, pushed, watch } = await openPr({ auto_merge: true, require_review: true });
    expect(await watch.tick(s(0))).toEqual([{ mr: mr.id, outcome: 'waiting' }]);
    expect(api.requests.some((r) => r.method === 'PUT')).toBe(false);
    api.review(1, 'octocat', 'APPROVED', 'ship it');
    expect(await watch.tick(s(30))).toEqual([{ mr: mr.id, outcome: 'merged' }]);
    const put = api.requests.find((r) => r.method === 'PUT')!;
    expect(put).toMatchObject({ path: '/api/v3/repos/acme/web/pulls/1/merge', body: { sha: pushed } });
    const merged = api.pulls[0]!.merge_commit_sha!;
    expect(town.mr(mr.id)).toMatchObject({ state: 'merged', merged_commit: merged });
    expect((await town.beadOf(slung.bead)).close_reason).toContain('merged by the town (auto_merge)');
    expect(town.kinds(slung.bead)).toContain('merge.pr_review');
  });

  it('keeps the pull request open when GitHub refuses the merge (422), and merges on a later poll', async () => {
    const { town, api, slung, mr, watch } = await openPr({ auto_merge: true });
    api.failNext({ method: 'PUT', status: 422, message: 'Required status check "ci" is expected.' });
    expect(await watch.tick(s(0))).toEqual([]);
    expect(town.mr(mr.id).state).toBe('pr_open');
    const [failed] = queryEvents(town.services.db, { beadId: slung.bead, kind: 'merge.pr_watch_failed' });
    expect(failed!.payload).toMatchObject({ retryable: false, retry_in_seconds: 60 });
    expect(failed!.payload.error).toContain('(HTTP 422): Required status check "ci" is expected.');
    expect(await town.ok('feed', '-n', '0')).toContain(
      'cannot watch the pull request: GitHub: cannot merge pull request #1',
    );
    expect(await watch.tick(s(60))).toEqual([{ mr: mr.id, outcome: 'merged' }]);
    expect(api.requests.filter((r) => r.method === 'PUT').map((r) => r.status)).toEqual([422, 200]);
  });

  it('backs off on errors, waits out rate limits, and records one failure per run of them', async () => {
    const { town, api, slung, mr, watch } = await openPr();
    const reset = Math.floor(s(500) / 1000);
    api.failNext({
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
    });
    expect(await watch.tick(s(0))).toEqual([]);
    expect(watch.dueAt(mr.id)).toBe(reset * 1000);
    api.failNext({ status: 429, headers: { 'retry-after': '120' } });
    await watch.tick(s(500));
    expect(watch.dueAt(mr.id)).toBe(s(620));
    api.failNext({ status: 404, message: 'Not Found' });
    await watch.tick(s(620));
    expect(watch.dueAt(mr.id)).toBe(s(620 + 30 * 2 ** 3)); // the third failure in a row
    api.failNext({ status: 500 }, { status: 500 });
    await watch.tick(s(860));
    await watch.tick(s(1460));
    expect(watch.dueAt(mr.id)).toBe(s(1460 + 600)); // capped at 10 minutes
    const failures = queryEvents(town.services.db, { beadId: slung.bead, kind: 'merge.pr_watch_failed' });
    expect(failures).toHaveLength(1);
    expect(failures[0]!.payload.error).toContain('HTTP 403, rate limited');
    expect(await watch.tick(s(2060))).toEqual([{ mr: mr.id, outcome: 'waiting' }]);
    expect(watch.dueAt(mr.id)).toBe(s(2090));
    expect(town.mr(mr.id).state).toBe('pr_open');
  });
});
