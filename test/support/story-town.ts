// The town of the story, made by the README's tutorial itself: its shell commands run as written
// (through bash, `gt` on PATH, HOME a scratch directory) with two stand-ins — the GitHub URLs of
// the three repositories become generated bare remotes, and town.yaml's agents get the scripted
// model servers' endpoints. The repositories: `core` (the runtime flags), `api` (the public API's
// routes) and `dashboard` (the admin dashboard's accounts page). The test then points the
// dashboard's pull requests at a server speaking GitHub's REST API (as for GitHub Enterprise).
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { parse, stringify } from 'yaml';
import { gtBin, runGt, type GtResult } from './cli.js';
import { commitFile, gitIn, makeRemote, type GitRemote } from './git-fixtures.js';
import { makeTempDir } from './temp.js';

export const claudeBin = fileURLToPath(
  new URL('../../node_modules/@anthropic-ai/claude-code-linux-x64/claude', import.meta.url),
);
const readme = fileURLToPath(new URL('../../README.md', import.meta.url));
export const tutorialHeading = 'Tutorial: three rigs, one request, a pull request merged';

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

/** The tutorial's blocks: each `sh` block's commands (continuations joined), each `yaml` block. */
export async function tutorialBlocks(): Promise<{ sh: string[]; yaml: string[] }> {
  const text = await readFile(readme, 'utf8');
  const start = text.indexOf(`\n## ${tutorialHeading}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${tutorialHeading}" section`);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  const sh = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) =>
    block[1]!
      .replace(/\\\n\s*/g, '')
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter((line) => line !== ''),
  );
  const yaml = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((block) => block[1]!);
  return { sh, yaml };
}

export interface StoryTown {
  root: string;
  scratch: string;
  remotes: Record<StoryRig, GitRemote>;
  env: Record<string, string>;
  /** The tutorial's commands not run yet (after the town and its rigs are made). */
  rest: string[];
  /** Runs a tutorial line through bash in the town, as a user would; throws when it fails. */
  sh(line: string): Promise<string>;
  gt(...args: string[]): Promise<GtResult>;
  /** Runs gt; throws with its output when the exit code is not 0. */
  ok(...args: string[]): Promise<string>;
  json<T>(...args: string[]): Promise<T>;
}

export interface StoryOptions {
  mayorUrl: string;
  polecatUrl: string;
  githubToken: string;
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

/** The README's town.yaml lines, plus where the scripted model servers are (the one stand-in). */
function townYaml(installed: string, readmeYaml: string, options: StoryOptions): string {
  const config = { ...(parse(installed) as object), ...(parse(readmeYaml) as object) } as {
    agents?: Record<string, Record<string, unknown>>;
  };
  const endpoint = {
    'claude-code': { command: claudeBin, base_url: options.polecatUrl, api_key_env: 'STORY_POLECAT_KEY' },
    anthropic: { base_url: options.mayorUrl, api_key_env: 'STORY_MAYOR_KEY' },
  };
  for (const [agent, extra] of Object.entries(endpoint))
    config.agents = { ...config.agents, [agent]: { ...config.agents?.[agent], ...extra } };
  return stringify({ ...config, dashboard: { port: 0 } });
}

export async function makeStoryTown(options: StoryOptions): Promise<StoryTown> {
  const scratch = await makeTempDir('gt-story');
  const home = join(scratch, 'home');
  const bin = join(scratch, 'bin');
  await mkdir(home);
  await mkdir(bin);
  await writeFile(join(bin, 'gt'), `#!/bin/sh\nexec node ${gtBin} "$@"\n`);
  await chmod(join(bin, 'gt'), 0o755);
  const remotes = await makeStoryRemotes(scratch);
  const root = join(home, 'town');
  const env = {
    STORY_POLECAT_KEY: 'sk-ant-story-polecats',
    STORY_MAYOR_KEY: 'sk-ant-story-mayor',
    GITHUB_TOKEN: options.githubToken,
    HOME: home,
  };
  const sh = async (line: string) => {
    const local = line.replace(
      /https:\/\/github\.com\/acme\/(\w+)\.git/g,
      (_, rig: StoryRig) => remotes[rig].path,
    );
    const inherited = Object.entries(process.env).filter(
      ([key, value]) => value !== undefined && key !== 'GT_TOWN',
    );
    const result = await execa('bash', ['-c', local], {
      cwd: line.startsWith('gt install') ? home : root,
      env: { ...Object.fromEntries(inherited), ...env, PATH: `${bin}:${process.env.PATH ?? ''}` },
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
    if (result.exitCode !== 0)
      throw new Error(`${line} exited ${result.exitCode}: ${result.stderr}${result.stdout}`);
    return result.stdout;
  };
  const gt = (...args: string[]) => runGt(['--town', root, ...args], { env });
  const ok = async (...args: string[]) => {
    const result = await gt(...args);
    if (result.exitCode !== 0)
      throw new Error(`gt ${args.join(' ')} exited ${result.exitCode}: ${result.stderr}${result.stdout}`);
    return result.stdout;
  };
  const json = async <T>(...args: string[]) => JSON.parse(await ok('--json', ...args)) as T;

  // Steps 1 and 2 of the tutorial: the town, its three rigs, who does the work.
  const { sh: lines, yaml } = await tutorialBlocks();
  const rest = [...lines];
  const take = (pattern: RegExp) => {
    const at = rest.findIndex((line) => pattern.test(line));
    if (at < 0) throw new Error(`the tutorial has no command matching ${String(pattern)}`);
    return rest.splice(at, 1)[0]!;
  };
  await sh(take(/^gt install /));
  for (const rig of Object.keys(storyFiles)) await sh(take(new RegExp(`^gt rig add ${rig} `)));
  await sh(take(/^gt rig show dashboard$/));
  const file = join(root, 'town.yaml');
  await writeFile(file, townYaml(await readFile(file, 'utf8'), yaml[0] ?? '', options));
  return { root, scratch, remotes, env, rest, sh, gt, ok, json };
}
