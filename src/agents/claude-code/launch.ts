// How one Claude Code session is started: which executable (`agents.claude-code.command` in
// town.yaml, else `claude` on the session's PATH), its arguments, its environment and state
// directory, and whether it runs inside the sandbox (whenever bubblewrap works here) or on the host.
// In the sandbox, `gt` and `bd` on PATH are the forwarding shims (src/agents/town-forward.ts).
import { accessSync, constants, mkdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { invalidInput } from '../../errors.js';
import { shimDir, writeForwardShims } from '../../roles/agent-shims.js';
import {
  detectSandboxHost,
  prepareWorktreeForSandbox,
  sandboxAvailability,
  baseSandboxEnv,
  stepEnv,
} from '../../sandbox/index.js';
import type { SessionStart } from '../runtime.js';
import { claudeEnv } from './claude-env.js';
import { defaultHookWaitMs } from './hook-protocol.js';
import { sandboxedArgv } from './sandbox-wrap.js';
import { placeTranscript } from './transcripts.js';
import { claudeSettings, findGtInstall } from './settings.js';

export interface Launch {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** What the session should say before Claude starts (no sandbox here, a lost conversation). */
  notes: string[];
}

const executableName = 'claude';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The configured command, else `claude` on PATH; a clear error naming the setting otherwise. */
export function resolveExecutable(command: string | undefined, path: string | undefined): string {
  const wanted = command ?? executableName;
  const candidates =
    wanted.includes('/') || isAbsolute(wanted)
      ? [wanted]
      : (path ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((dir) => join(dir, wanted));
  const found = candidates.find(isExecutable);
  if (found !== undefined) return realpathSync(found);
  throw invalidInput(
    command === undefined
      ? 'claude-code: no `claude` executable on PATH; install Claude Code (npm install -g @anthropic-ai/claude-code) or set agents.claude-code.command in town.yaml'
      : `claude-code: agents.claude-code.command in town.yaml is not an executable file: ${command}`,
  );
}

/**
 * Options that would take governance away (other settings or hooks, skipped permissions, other MCP
 * servers): `agents.claude-code.args` may not carry them, since they come after ours and would win.
 */
const governanceFlags = [
  '--settings',
  '--setting-sources',
  '--permission-mode',
  '--dangerously-skip-permissions',
  '--allow-dangerously-skip-permissions',
  '--permission-prompt-tool',
  '--mcp-config',
  '--strict-mcp-config',
  '--input-format',
  '--output-format',
];

export function checkExtraArgs(args: readonly string[]): void {
  const bad = args.map((arg) => arg.split('=')[0] ?? arg).find((flag) => governanceFlags.includes(flag));
  if (bad !== undefined) {
    throw invalidInput(
      `town.yaml agents.claude-code.args: ${bad} is set by gt (it keeps the policy's hooks in charge) and may not be overridden`,
    );
  }
}

/** Claude Code's arguments: print mode, stream-json both ways, our hooks and nothing else's. */
export function claudeArgs(start: SessionStart, settings: string, resume: string | undefined): string[] {
  checkExtraArgs(start.config.args ?? []);
  return [
    '-p',
    '--output-format',
    'stream-json',
    '--verbose',
    '--input-format',
    'stream-json',
    // Echo our messages back when Claude takes them, so we know when a nudge has been read.
    '--replay-user-messages',
    // As root Claude refuses bypassPermissions; the pre-tool hook's `allow` is what lets calls run.
    '--permission-mode',
    'default',
    // Only our settings: a `.claude/settings.json` the agent writes in its worktree adds no hooks
    // or permissions, and a `.mcp.json` there starts no servers.
    '--setting-sources',
    '',
    '--strict-mcp-config',
    '--settings',
    settings,
    ...(start.config.model === undefined ? [] : ['--model', start.config.model]),
    ...(resume === undefined ? [] : ['--resume', resume]),
    ...(start.config.args ?? []),
  ];
}

/** The session's state directory: `<town>/.gt/agents/claude/<bead>`, kept for --resume. */
function stateDirOf(start: SessionStart): string {
  const town = start.env['GT_TOWN'];
  const name = (start.env['GT_BEAD'] ?? start.sessionId).replace(/[^A-Za-z0-9._-]/g, '_');
  const dir =
    town === undefined ? join(tmpdir(), 'gt-claude-code', name) : join(town, '.gt', 'agents', 'claude', name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/**
 * Inside the sandbox the town's own `gt` and `bd` (agent-shims) are out of sight: the forwarding
 * shims take their place first on PATH, and send town commands to the session's `/exec`.
 */
function forwardShims(
  town: string,
  node: string,
  bundle: string,
  env: Record<string, string>,
  notes: string[],
): string | undefined {
  try {
    const dir = writeForwardShims(town, { node, entry: bundle });
    const path = env['PATH'] ?? baseSandboxEnv['PATH'] ?? '';
    const rest = path.split(delimiter).filter((entry) => entry !== '' && entry !== shimDir(town));
    env['PATH'] = [dir, ...rest].join(delimiter);
    return dir;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    notes.push(`gt: no \`gt\` or \`bd\` inside the sandbox (${why})`);
    return undefined;
  }
}

export async function prepareLaunch(
  start: SessionStart,
  hook: { url: string; token: string },
  sandbox: boolean,
): Promise<Launch> {
  const executable = resolveExecutable(start.config.command, start.env['PATH']);
  const gt = findGtInstall();
  const node = realpathSync(process.execPath);
  const stateDir = stateDirOf(start);
  const notes: string[] = [];
  let resume = start.resume;
  if (resume !== undefined && !placeTranscript(stateDir, start.worktree, resume)) {
    notes.push(`gt: no saved Claude Code conversation ${resume}; starting a new one`);
    resume = undefined;
  }
  const args = claudeArgs(start, claudeSettings(node, gt.bundle), resume);
  const { env, allow } = claudeEnv({
    base: start.env,
    config: start.config,
    stateDir,
    hook: { ...hook, waitMs: defaultHookWaitMs },
  });
  const availability = sandbox
    ? sandboxAvailability()
    : { available: false, reason: 'the runtime was started without it' };
  if (!availability.available) {
    return {
      file: executable,
      args,
      env: stepEnv(env, allow),
      cwd: start.worktree,
      notes: [
        ...notes,
        `gt: Claude Code runs on the host, not in the sandbox (${availability.reason ?? 'bubblewrap is unavailable'}); only the policy's hooks govern its tools`,
      ],
    };
  }
  const town = start.env['GT_TOWN'];
  const forward = town === undefined ? undefined : forwardShims(town, node, gt.bundle, env, notes);
  const host = detectSandboxHost();
  if (host.runningAsRoot) {
    await prepareWorktreeForSandbox(start.worktree);
    await prepareWorktreeForSandbox(stateDir);
  }
  const box = {
    worktree: start.worktree,
    townRoot: start.env['GT_TOWN'] ?? dirname(stateDir),
    stateDir,
    // Files, not their directories: a private directory (0700) would hide them from the sandbox uid.
    readOnly: [
      executable,
      node,
      join(gt.root, 'package.json'),
      join(gt.root, 'dist'),
      join(gt.root, 'node_modules'),
      ...(forward === undefined ? [] : [forward]),
    ],
    env,
    allow,
  };
  const wrapped = sandboxedArgv(box, executable, args, host);
  return {
    ...wrapped,
    env: { PATH: process.env['PATH'] ?? baseSandboxEnv['PATH'] ?? '/usr/bin:/bin' },
    cwd: start.worktree,
    notes,
  };
}
