// The story this project exists for, end to end, as a user runs it: three rigs (core, api, and the
// dashboard in `pr` merge mode), the daemon up, one request to the Mayor (our anthropic runtime on a
// scripted model), polecats on the real Claude Code CLI reading their context rigs, the pull request
// opened on a server speaking GitHub's REST API, reviewed and merged there with a real merge commit,
// and the town noticing: the bead closed with that commit, the polecat's worktree and branch gone,
// the convoy landed, the Mayor's mail to the Overseer, and `gt trace` from the pull request back to
// the request. Only the model providers and GitHub are played; git, SQLite, the sandbox, the daemon,
// Claude Code and `gt` are the real ones.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitIn } from '../support/git-fixtures.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api.js';
import { startModelServer, type ModelServer } from '../support/model-server.js';
import { claudeBin, makeStoryTown, type StoryTown } from '../support/story-town.js';
import { removeTempDirs } from '../support/temp.js';
import {
  apiBeadTitle,
  contextRigPath,
  promptOf,
  convoyTitle,
  dashboardBeadTitle,
  flagsRoute,
  mayorTurn,
  polecatTurn,
  storyRequest,
} from './story-scripts.js';

const token = 'ghp_story_test_token';
const servers: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await removeTempDirs();
});

interface BeadJson {
  id: string;
  title: string;
  status: string;
  close_reason?: string;
  labels?: string[];
  dependencies?: { depends_on_id: string; type: string }[];
  created_by?: string;
}
interface MailJson {
  from_actor: string;
  to_actor: string;
  subject: string;
  body: string;
  convoy_id: string | null;
}

/** Polls `probe` until it returns a value; on timeout, fails with the daemon's log and the feed. */
async function until<T>(town: StoryTown, what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const log = await readFile(join(town.root, '.gt', 'daemon.log'), 'utf8').catch(() => '');
      const feed = (await town.gt('feed', '-n', '60')).stdout;
      throw new Error(
        `timed out waiting for ${what}\n--- feed\n${feed}\n--- daemon.log\n${log.slice(-4000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const bead = async (town: StoryTown, id: string) => (await town.json<BeadJson[]>('bd', 'show', id))[0]!;

describe(`the story${existsSync(claudeBin) ? '' : ' (failing: the claude binary is missing; npm ci installs it)'}`, () => {
  it('three rigs, one request to the Mayor, a pull request merged on GitHub, traced back', async () => {
    const mayor: ModelServer = await startModelServer({ answer: mayorTurn });
    const polecats: ModelServer = await startModelServer({ answer: polecatTurn });
    // The server reads pull requests' heads from the dashboard's real remote, once it exists.
    const remote: { path?: string } = {};
    const github: GitHubApi = await startGitHubApi(token, '/api/v3', {
      headOf: async (branch) =>
        remote.path === undefined
          ? undefined
          : gitIn(remote.path, 'rev-parse', `refs/heads/${branch}`).catch(() => undefined),
    });
    servers.push(mayor, polecats, github);
    // Steps 1 and 2 of the README's tutorial, as written: the town, three rigs, the agents.
    const town = await makeStoryTown({ mayorUrl: mayor.url, polecatUrl: polecats.url, githubToken: token });
    const dashboardRemote = (remote.path = town.remotes.dashboard.path);
    // The stand-ins for GitHub: the test server's address (as for GitHub Enterprise), a short poll.
    await town.ok('rig', 'set', 'dashboard', 'github.api_url', github.url);
    await town.ok('rig', 'set', 'dashboard', 'github.poll_seconds', '5');
    const shown = await town.json<{ settings: Record<string, unknown> }>('rig', 'show', 'dashboard');
    expect(shown.settings).toMatchObject({
      merge_mode: 'pr',
      check: 'node --check accounts.js',
      github: { repo: 'acme/dashboard', api_url: github.url, poll_seconds: 5 },
    });
    const api = await town.json<{ settings: Record<string, unknown> }>('rig', 'show', 'api');
    expect(api.settings).toMatchObject({ merge_mode: 'push', check: `node -e "require('./routes.js')"` });

    // Step 3: the daemon up, and one request; the Mayor plans two beads with context rigs, a
    // dependency and a convoy.
    expect(town.rest.slice(0, 3)).toEqual([
      expect.stringMatching(/^export ANTHROPIC_API_KEY=\S+ GITHUB_TOKEN=\S+$/),
      'gt up',
      `gt mayor ask "${storyRequest}"`,
    ]);
    await town.sh('gt up');
    try {
      const asked = await town.sh(town.rest[2]!);
      expect(asked).toContain('Planned 2 beads (api, then dashboard)');
      const listed = await town.json<BeadJson[]>('bd', 'list', '--all');
      const apiId = listed.find((b) => b.title === apiBeadTitle)?.id;
      const dashId = listed.find((b) => b.title === dashboardBeadTitle)?.id;
      expect(apiId).toMatch(/^ap-/);
      expect(dashId).toMatch(/^da-/);
      const planned = await bead(town, dashId!);
      expect(planned.created_by).toBe('mayor');
      expect(planned.dependencies).toMatchObject([{ depends_on_id: apiId, type: 'blocks' }]);

      // The api bead lands first (pushed to the api's main), its polecat having read core's flags.
      const apiDone = await until(town, 'the api bead to merge', async () => {
        const b = await bead(town, apiId!);
        return b.status === 'closed' ? b : undefined;
      });
      expect(apiDone.close_reason).toMatch(/^merged in [0-9a-f]{40}/);
      const apiRoutes = await gitIn(town.remotes.api.path, 'show', 'main:routes.js');
      expect(apiRoutes).toContain(
        `path: '${flagsRoute}', flags: ['beta_billing', 'new_search', 'audit_log']`,
      );

      // Then the dashboard bead: its polecat reads the api as it is now, and a pull request opens.
      const pull = await until(town, 'the pull request to open', () =>
        Promise.resolve(github.pulls[0]?.head.sha ? github.pulls[0] : undefined),
      );
      expect(pull).toMatchObject({
        number: 1,
        state: 'open',
        title: dashboardBeadTitle,
        base: { ref: 'main' },
      });
      expect(pull.body).toContain(`**Bead ${dashId}**: ${dashboardBeadTitle}`);
      expect(pull.body).toContain('node --check accounts.js');
      expect(pull.body).toContain(`Gas-Town-Bead: ${dashId}`);
      expect(pull.body).toMatch(/- Cost: \$\d+\.\d{4} \(\d+ tokens\)\./);
      expect(pull.body).toContain(`- Trace: \`gt trace ${dashId}\``);
      const branch = pull.head.ref;
      expect(branch).toMatch(new RegExp(`^polecat/[a-z0-9-]+/${dashId}$`));
      expect(await gitIn(dashboardRemote, 'show', `${branch}:accounts.js`)).toContain(
        `export const flagsRoute = '${flagsRoute}';`,
      );
      // The dashboard's polecat was told where the api is, at the head that has the api's change.
      const told = polecats.requests.map(promptOf).find((p) => p.includes(dashboardBeadTitle))!;
      const apiContext = contextRigPath(told, 'api');
      const apiHead = await gitIn(town.remotes.api.path, 'rev-parse', 'main');
      expect(told).toContain(`- api: ${apiContext} (branch main at ${apiHead.slice(0, 12)})`);
      expect(contextRigPath(told, 'core')).toBeDefined();
      // An open pull request is not a merge: the bead waits, nobody is told it landed.
      const waiting = await bead(town, dashId!);
      expect(waiting.status).not.toBe('closed');
      const early = await town.json<MailJson[]>('mail', 'inbox');
      expect(early.filter((m) => m.from_actor === 'mayor')).toEqual([]);

      // A reviewer approves and merges on GitHub: a real merge commit on the dashboard's main.
      github.review(1, 'octocat', 'APPROVED', 'Flags look right.');
      const work = town.remotes.dashboard.work;
      await gitIn(work, 'fetch', '--quiet', 'origin', branch);
      await gitIn(
        work,
        'merge',
        '--quiet',
        '--no-ff',
        'FETCH_HEAD',
        '-m',
        `Merge pull request #1 from acme/${branch}`,
      );
      await gitIn(work, 'push', '--quiet', 'origin', 'main');
      const mergeCommit = await gitIn(work, 'rev-parse', 'HEAD');
      github.merge(1, mergeCommit);

      // The town notices: the bead closes with that commit, the polecat's work is cleaned up.
      const closed = await until(town, 'the dashboard bead to close', async () => {
        const b = await bead(town, dashId!);
        return b.status === 'closed' ? b : undefined;
      });
      expect(closed.close_reason).toBe(`merged in ${mergeCommit} (pull request #1, merged on GitHub)`);
      const polecat = branch.split('/')[1]!;
      expect(existsSync(join(town.root, 'dashboard', 'polecats', polecat))).toBe(false);
      expect(await gitIn(join(town.root, 'dashboard', 'repo.git'), 'branch', '--list', branch)).toBe('');

      // The convoy lands and the Mayor mails the Overseer, naming the pull request and its merge.
      const report = await until(town, "the Mayor's report", async () =>
        (await town.json<MailJson[]>('mail', 'inbox')).find((m) => m.from_actor === 'mayor'),
      );
      expect(report.subject).toMatch(
        new RegExp(`^Convoy cv-\\S+ "${convoyTitle}" landed: 2 bead\\(s\\) done$`),
      );
      expect(report.body).toContain(
        `${dashId} "${dashboardBeadTitle}" (dashboard): merged ${mergeCommit.slice(0, 12)} (pull request ${pull.html_url})`,
      );
      // Step 5's commands, with this run's bead id for the README's.
      const [showLine, inboxLine] = town.rest.slice(3);
      expect([showLine, inboxLine]).toEqual([expect.stringMatching(/^gt bd show da-\w+$/), 'gt mail inbox']);
      expect(await town.sh(showLine!.replace(/da-\w+$/, dashId!))).toContain(
        `(merged in ${mergeCommit} (pull request #1, merged on GitHub))`,
      );
      expect(await town.sh(inboxLine!)).toContain(report.subject);
      const convoy = await town.json<{ convoy: { state: string }; complete: boolean }>(
        'convoy',
        'status',
        report.convoy_id!,
      );
      expect(convoy).toMatchObject({ convoy: { state: 'landed' }, complete: true });

      // From the pull request back to the request: its trailer names the bead, the trace the rest.
      const traced = /Gas-Town-Bead: (\S+)/.exec(pull.body)?.[1];
      const trace = await town.ok('trace', traced!);
      expect(trace).toContain(`overseer: asks the Mayor: "${storyRequest}"`);
      expect(trace).toContain(`mayor: tool create_bead(`);
      expect(trace).toContain(join(apiContext!, 'routes.js'));
      expect(trace).toContain(
        `merged ${mergeCommit.slice(0, 12)} into main (pull request #1, merged on GitHub)`,
      );
      expect(await town.ok('audit', 'verify')).toContain('Ledger intact');
    } finally {
      await town.sh('gt down');
    }
  }, 300_000);
});
