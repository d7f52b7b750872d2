// What would stop the town from running a bead right now: a broken town.yaml or policy.yaml, no
// sandbox the policy needs, no binary for the agent runtime, a rig whose mirror or rig.yaml is gone
// or broken. Each blocker says what is missing and the exact fix. Every command that would start
// work asks first and fails at once; the daemon asks every tick and escalates instead of stalling.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { ErrorCode, GasTownError } from '../../errors.js';
import { loadPolicy } from '../../policy/index.js';
import { sandboxAvailability } from '../../sandbox/index.js';
import type { TownConfig } from '../../town/index.js';
import { loadRigConfig, loadTownConfig, rigPaths, townPaths } from '../../town/index.js';

export const blockerKinds = ['town_config', 'policy', 'sandbox', 'agent', 'rig_repo', 'rig_config'] as const;
export type BlockerKind = (typeof blockerKinds)[number];

export interface WorkBlocker {
  /** One per cause: the escalation key the daemon folds on. */
  key: string;
  kind: BlockerKind;
  rig?: string;
  /** What is missing, naming the file/line or the binary. */
  message: string;
  /** The exact thing to do about it. */
  fix: string;
}

export interface BlockerQuery {
  root: string;
  /** The rigs whose work is about to start (each is checked). */
  rigs: readonly string[];
  /** The runtime the work needs (default: town.yaml's default_agent). */
  agent?: string;
  /** The environment the agent would get (its PATH finds the agent's binary). */
  env: Record<string, string | undefined>;
}

const installHint = 'install bubblewrap';

const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n').find((l) => l.trim() !== '') ?? '';

/** Everything in the way of running work on `rigs`; empty when the town can run it. */
export async function workBlockers(query: BlockerQuery): Promise<WorkBlocker[]> {
  const { root } = query;
  const blockers: WorkBlocker[] = [];
  let config: TownConfig | undefined;
  try {
    config = await loadTownConfig(root);
  } catch (error) {
    blockers.push({
      key: 'town_config',
      kind: 'town_config',
      message: errorText(error),
      fix: `fix ${townPaths(root).config} at the place named (\`gt doctor\` checks every town file)`,
    });
  }
  const policyFile = join(root, 'policy.yaml');
  let sandbox = true;
  try {
    sandbox = loadPolicy(policyFile).sandbox !== 'none';
  } catch (error) {
    blockers.push({ key: 'policy', kind: 'policy', message: errorText(error), fix: `fix ${policyFile}` });
  }
  if (sandbox) {
    const availability = sandboxAvailability();
    if (!availability.available)
      blockers.push({
        key: 'sandbox',
        kind: 'sandbox',
        message: `the sandbox cannot run: ${availability.reason ?? 'bubblewrap is unavailable'}`,
        fix: `${availability.install ?? installHint}; or set \`sandbox: none\` in policy.yaml to run steps unsandboxed`,
      });
  }
  if (config) {
    const agent = agentBlocker(config, query.agent ?? config.default_agent, query.env);
    if (agent) blockers.push(agent);
  }
  for (const rig of new Set(query.rigs)) blockers.push(...(await rigBlockers(root, rig)));
  return blockers;
}

/** Throws one error listing every blocker (what is missing and the fix), when there are any. */
export async function assertWorkCanRun(query: BlockerQuery): Promise<void> {
  const blockers = await workBlockers(query);
  if (blockers.length === 0) return;
  throw new GasTownError(ErrorCode.unavailable, describeBlockers(blockers), {
    ids: { blocker: blockers.map((b) => b.key).join(',') },
  });
}

export function describeBlockers(blockers: readonly WorkBlocker[]): string {
  const lines = blockers.map((b) => `  - ${b.message}\n    fix: ${b.fix}`);
  return `the town cannot run work:\n${lines.join('\n')}`;
}

/** The binaries the runtimes start, by runtime; the others need none. */
const agentBinaries: Record<string, { name: string; install: string }> = {
  'claude-code': { name: 'claude', install: 'npm install -g @anthropic-ai/claude-code' },
  codex: { name: 'codex', install: 'npm install -g @openai/codex' },
};

function agentBlocker(
  config: TownConfig,
  agent: string,
  env: Record<string, string | undefined>,
): WorkBlocker | undefined {
  const binary = agentBinaries[agent];
  if (!binary) return undefined;
  const command = config.agents[agent as keyof TownConfig['agents']]?.command;
  if (findExecutable(command ?? binary.name, env['PATH']) !== undefined) return undefined;
  return {
    key: `agent:${agent}:${command ?? binary.name}`,
    kind: 'agent',
    message:
      command === undefined
        ? `the ${agent} runtime needs \`${binary.name}\`, which is not on PATH`
        : `town.yaml agents.${agent}.command is ${command}, which is not an executable`,
    fix:
      command === undefined
        ? `run \`${binary.install}\`, or set agents.${agent}.command in town.yaml to its path`
        : `install it there, or fix agents.${agent}.command in town.yaml`,
  };
}

/** `command` as an executable file: a path as given, a bare name looked up on `path`. */
export function findExecutable(command: string, path: string | undefined): string | undefined {
  const candidates =
    command.includes('/') || isAbsolute(command)
      ? [command]
      : (path ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((dir) => join(dir, command));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

async function rigBlockers(root: string, rig: string): Promise<WorkBlocker[]> {
  const paths = rigPaths(root, rig);
  const blockers: WorkBlocker[] = [];
  if (!existsSync(join(paths.repo, 'HEAD')))
    blockers.push({
      key: `rig_repo:${rig}`,
      kind: 'rig_repo',
      rig,
      message: `rig ${rig}: its mirror ${paths.repo} is gone`,
      fix: `restore it (\`git clone --bare <git_url from ${rig}/rig.yaml> ${paths.repo}\`), or \`gt rig remove ${rig}\``,
    });
  try {
    await loadRigConfig(paths.config);
  } catch (error) {
    blockers.push({
      key: `rig_config:${rig}`,
      kind: 'rig_config',
      rig,
      message: `rig ${rig}: ${errorText(error)}`,
      fix: existsSync(paths.config)
        ? `fix ${paths.config} at the place named`
        : `restore ${paths.config} (git_url, branch, prefix), or \`gt rig remove ${rig}\``,
    });
  }
  return blockers;
}

/** The error's message up to its YAML code frame: the file, line and column are in the first line. */
function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const invalid = text.startsWith('invalid ');
  return invalid ? text.split('\n').slice(0, 3).join(' ').replace(/\s+/g, ' ').trim() : firstLine(error);
}
