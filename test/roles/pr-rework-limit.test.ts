// PR mode's rework limit: each review requesting changes on the commit the town pushed sends the
// bead back to its polecat with the reviewer's words, up to `witness.max_rework` rounds; the next
// request for changes blocks the bead and asks the Overseer (a `rework_limit` escalation) instead.
// Real town, real git, the polecat slung again on its own branch, the pull request updated in
// place (the Refinery finds it already open), the test server speaking GitHub's REST API.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { queryEvents } from '../../src/ledger/index.js';
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

const token = 'rework-token';
const env = { GITHUB_TOKEN: token };
const t0 = Date.parse('2030-01-01T00:00:00.000Z');

async function setMaxRework(t: RefineryTown, rounds: number): Promise<void> {
  const file = join(t.root, 'town.yaml');
  const config = parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  await writeFile(file, stringify({ ...config, witness: { max_rework: rounds } }));
}

/** The polecat works the bead again on its own branch; the Refinery pushes it to the open pull. */
async function reworkAndPush(t: RefineryTown, gh: GitHubApi, slung: Slung): Promise<string> {
  const again = JSON.parse(await t.ok('--json', 'sling', slung.bead, t.rig, '--polecat', slung.polecat)) as {
    branch: string;
    commit: string;
  };
  expect(again.branch).toBe(slung.branch);
  const mr = t.enqueue({ ...slung, head: again.commit });
  expect(await t.refinery({ env }).tick()).toBe('pr_open');
  const pushed = t.mr(mr.id).merged_commit!;
  gh.setHead(1, pushed);
  return pushed;
}

describe('the rework limit in PR mode', () => {
  it('sends requested changes back up to max_rework rounds, then escalates to the Overseer', async () => {
    town = await makeRefineryTown();
    api = await startGitHubApi(token);
    await setMaxRework(town, 2);
    await town.setRigYaml({ merge_mode: 'pr', github: { api_url: api.url, repo: 'acme/web' } });
    // Each run of the step appends a line: every round is a new commit on the same branch.
    const slung = await town.sling('Add a greeting', ['echo hello >> greeting.txt']);
    const first = town.enqueue(slung);
    expect(await town.refinery({ env }).tick()).toBe('pr_open');
    let pushed = town.mr(first.id).merged_commit!;
    api.setHead(1, pushed);
    const watch = new PrWatch({ town: town.services, root: town.root, rig: town.rig, env });

    const heads: string[] = [];
    for (let round = 1; round <= 3; round++) {
      heads.push(pushed);
      api.review(1, 'hubot', 'CHANGES_REQUESTED', `Round ${round}: greet the world.`);
      const [event] = await watch.tick(t0 + round * 60_000);
      const bead = await town.beadOf(slung.bead);
      expect(bead.comments.at(-1)?.text).toContain(`hubot wrote:\nRound ${round}: greet the world.`);
      if (round <= 2) {
        expect(event?.outcome).toBe('rework');
        expect(bead.status).toBe('open');
        expect(bead.assignee ?? null).toBeNull();
        expect(bead.labels).toContain('gt:rework');
        expect(listEscalations(town.services.db)).toEqual([]);
        pushed = await reworkAndPush(town, api, slung);
        continue;
      }
      expect(event?.outcome).toBe('escalated');
      expect(bead.status).toBe('blocked');
      expect(bead.labels).toContain('gt:escalated');
      expect(bead.labels).not.toContain('gt:review');
      expect(bead.comments.at(-1)?.text).toContain(
        'The rework limit (2) is reached, so the Overseer decides.',
      );
    }
    // One pull request the whole time, updated with each round's commit (three distinct heads).
    expect(api.pulls).toHaveLength(1);
    expect(new Set(heads).size).toBe(3);
    expect(await gitIn(town.remote.path, 'rev-parse', slung.branch)).toBe(heads[2]);
    expect(await gitIn(town.remote.path, 'show', `${slung.branch}:greeting.txt`)).toBe('hello\nhello\nhello');

    const rounds = queryEvents(town.services.db, {
      beadId: slung.bead,
      kind: 'merge.pr_changes_requested',
    }).map((e) => e.payload);
    expect(rounds).toMatchObject([
      { round: 1, escalated: false, reviewers: ['hubot'] },
      { round: 2, escalated: false },
      { round: 3, escalated: true, comments: ['Round 3: greet the world.'] },
    ]);
    expect(listEscalations(town.services.db).map((e) => [e.kind, e.bead_id, e.summary])).toEqual([
      ['rework_limit', slung.bead, 'changes requested on pull request #1 again, past max_rework (2)'],
    ]);
    // The last request ended failed, nothing was merged, and the work stays on the branch.
    const requests = town.services.db
      .prepare<[string], { state: string }>('SELECT state FROM merge_requests WHERE bead_id = ? ORDER BY id')
      .all(slung.bead)
      .map((r) => r.state);
    expect(requests).toEqual(['rework', 'rework', 'failed']);
    expect(api.requests.some((r) => r.method === 'PUT')).toBe(false);
    expect(await watch.tick(t0 + 3600_000)).toEqual([]);
  });
});
