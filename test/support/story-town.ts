// The town of the story (README tutorial, test/story/): three generated repositories as real bare
// remotes — `core` (the runtime flags), `api` (the public API's routes) and `dashboard` (the admin
// dashboard's accounts page) — rigged into a fresh town the way a user does it, through `gt rig
// add` and `gt rig set`, with the dashboard in `pr` merge mode against a GitHub API test server.
// The polecats run the real Claude Code CLI and the Mayor our anthropic runtime, each pointed at
// its own scripted model server.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { runGt, type GtResult } from './cli.js';
import { commitFile, gitIn, makeRemote, type GitRemote } from './git-fixtures.js';
import { makeTown } from './town.js';

export const claudeBin = fileURLToPath(
  new URL('../../node_modules/@anthropic-ai/claude-code-linux-x64/claude', import.meta.url),
);

/** What each repository holds before the story starts. */
export const storyFiles = {
  core: {
    'flags.js':
      "// The runtime flags every service reads at startup.\nmodule.exports.runtimeFlags = ['beta_billing', 'new_search', 'audit_log'];\n",
  },
  api: {
    'routes.js':
      "// The public API.\nmodule.exports = [\n  { method: 'GET', path: '/accounts' },\n  { method: 'GET', path: '/accounts/:id' },\n];\n",
  },
  dashboard: {
    'accounts.js':
      '// The admin dashboard: the accounts page.\nexport function accountRow(account) {\n  return `<tr><td>${account.name}</td></tr>`;\n}\n',
  },
} as const;

export type StoryRig = keyof typeof storyFiles;

/** The rigs' checks: the Witness runs them on a polecat's work, the Refinery on the rebased commit. */
export const storyChecks: Record<StoryRig, string | undefined> = {
  core: undefined,
  api: `node -e "require('./routes.js')"`,
  dashboard: 'node --check accounts.js',
};

export interface StoryTown {
  root: string;
  scratch: string;
  remotes: Record<StoryRig, GitRemote>;
  env: Record<string, string>;
  gt(...args: string[]): Promise<GtResult>;
  /** Runs gt; throws with its output when the exit code is not 0. */
  ok(...args: string[]): Promise<string>;
  json<T>(...args: string[]): Promise<T>;
}

export interface StoryOptions {
  mayorUrl: string;
  polecatUrl: string;
  githubUrl: string;
  githubToken: string;
  /** The GitHub repository of the dashboard, `owner/name`. */
  githubRepo: string;
}

export async function makeStoryRemotes(scratch: string): Promise<Record<StoryRig, GitRemote>> {
  const made: Partial<Record<StoryRig, GitRemote>> = {};
  for (const rig of Object.keys(storyFiles) as StoryRig[]) {
    const remote = await makeRemote(scratch, rig);
    for (const [file, text] of Object.entries(storyFiles[rig])) {
      await commitFile(remote.work, file, text, `${rig}: add ${file}`);
    }
    await gitIn(remote.work, 'push', '--quiet', 'origin', 'main');
    made[rig] = remote;
  }
  return made as Record<StoryRig, GitRemote>;
}

export async function makeStoryTown(options: StoryOptions): Promise<StoryTown> {
  const { root, scratch } = await makeTown('storytown');
  const remotes = await makeStoryRemotes(scratch);
  await writeFile(
    join(root, 'town.yaml'),
    stringify({
      name: 'storytown',
      default_agent: 'claude-code',
      mayor: { agent: 'anthropic' },
      dashboard: { port: 0 },
      agents: {
        'claude-code': {
          command: claudeBin,
          base_url: options.polecatUrl,
          model: 'claude-sonnet-4-5',
          api_key_env: 'STORY_POLECAT_KEY',
        },
        anthropic: { base_url: options.mayorUrl, model: 'claude-sonnet-4-5', api_key_env: 'STORY_MAYOR_KEY' },
      },
    }),
  );
  const env = {
    STORY_POLECAT_KEY: 'sk-ant-story-polecats',
    STORY_MAYOR_KEY: 'sk-ant-story-mayor',
    GITHUB_TOKEN: options.githubToken,
  };
  const gt = (...args: string[]) => runGt(['--town', root, ...args], { env });
  const ok = async (...args: string[]) => {
    const result = await gt(...args);
    if (result.exitCode !== 0)
      throw new Error(`gt ${args.join(' ')} exited ${result.exitCode}: ${result.stderr}${result.stdout}`);
    return result.stdout;
  };
  const json = async <T>(...args: string[]) => JSON.parse(await ok('--json', ...args)) as T;
  for (const rig of ['core', 'api'] as const) {
    const check = storyChecks[rig];
    await ok('rig', 'add', rig, remotes[rig].path, ...(check === undefined ? [] : ['--check', check]));
  }
  await ok(
    'rig',
    'add',
    'dashboard',
    remotes.dashboard.path,
    '--merge-mode',
    'pr',
    '--github',
    options.githubRepo,
    '--check',
    storyChecks.dashboard!,
  );
  await ok('rig', 'set', 'dashboard', 'github.api_url', options.githubUrl);
  await ok('rig', 'set', 'dashboard', 'github.poll_seconds', '5');
  return { root, scratch, remotes, env, gt, ok, json };
}
