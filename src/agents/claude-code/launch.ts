// How one Claude Code session is started: which executable (`agents.claude-code.command` in
// town.yaml, else `claude` on the session's PATH), its arguments, its environment and state
// directory. It runs inside the sandbox, behind the session's egress gate; without a working
// sandbox it does not start, unless the policy says `sandbox: none` (then on the host). In the
// sandbox, `gt` and `bd` on PATH are the forwarding shims (src/agents/town-forward.ts).
import { accessSync, constants, mkdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { invalidInput } from '../../errors.js';
import { writeForwardShims } from '../shims.js';
import {
  detectSandboxHost,
  findBridgeScript,
  prepareWorktreeForSandbox,
  sandboxAvailability,
  sandboxPath,
} from '../../sandbox/index.js';
import type { EgressGate } from '../../sandbox/index.js';
import type { SessionStart } from '../runtime.js';
import { claudeEnv } from './claude-env.js';
import { gateAccess, hostAccess } from './model-endpoint.js';
import type { GatedModel } from './model-endpoint.js';
import { defaultHookWaitMs } from './hook-protocol.js';
import { contextMountsOf } from '../context-prompt.js';
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
 * shims take their place, first on PATH, and send town commands to the session's `/exec`.
 */
function forwardShims(
  town: string | undefined,
  node: string,
  bundle: string,
  notes: string[],
): string | undefined {
  if (town === undefined) return undefined;
  try {
    return writeForwardShims(town, { node, entry: bundle });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    notes.push(`gt: no \`gt\` or \`bd\` inside the sandbox (${why})`);
    return undefined;
  }
}

/**
 * A real agent runs only in the sandbox: without a working bubblewrap the session does not start,
 * unless the policy opted out (`sandbox: none`), which runs it on the host.
 */
export function requireSandbox(): void {
  const availability = sandboxAvailability();
  if (availability.available) return;
  throw invalidInput(
    `claude-code: the sandbox does not work here (${availability.reason ?? 'bubblewrap is unavailable'}), and Claude Code runs only inside it; install bubblewrap, or set \`sandbox: none\` in policy.yaml to run it on the host, governed by the hooks alone`,
  );
}

/** The sandboxed session's egress gate and the model it stands in for. */
export interface LaunchEgress {
  gate: EgressGate;
  model: GatedModel;
}

/** `egress` undefined: on the host (the policy said `sandbox: none`). */
export async function prepareLaunch(
  start: SessionStart,
  hook: { url: string; token: string },
  egress: LaunchEgress | undefined,
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
  const common = { base: start.env, stateDir, hook: { ...hook, waitMs: defaultHookWaitMs } };
  if (egress === undefined) {
    const { env } = claudeEnv({
      ...common,
      path: start.env['PATH'] ?? sandboxPath,
      model: hostAccess(start.env, start.config),
    });
    return {
      file: executable,
      args,
      env,
      cwd: start.worktree,
      notes: [
        ...notes,
        "gt: Claude Code runs on the host, not in the sandbox (policy.yaml says `sandbox: none`); only the policy's hooks govern its tools",
      ],
    };
  }
  const town = start.env['GT_TOWN'];
  const forward = forwardShims(town, node, gt.bundle, notes);
  const { env, allow } = claudeEnv({
    ...common,
    path: [...(forward === undefined ? [] : [forward]), sandboxPath].join(delimiter),
    model: gateAccess(egress.model, egress.gate.placeholderKey),
  });
  const host = detectSandboxHost();
  if (host.runningAsRoot) {
    await prepareWorktreeForSandbox(start.worktree);
    await prepareWorktreeForSandbox(stateDir);
  }
  const box = {
    worktree: start.worktree,
    townRoot: town ?? dirname(stateDir),
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
    egress: { socket: egress.gate.socket, bridge: findBridgeScript(), node },
    env,
    allow,
    contextRigs: contextMountsOf(start),
  };
  const wrapped = sandboxedArgv(box, executable, args, host);
  return {
    ...wrapped,
    env: { PATH: process.env['PATH'] ?? sandboxPath },
    cwd: start.worktree,
    notes,
  };
}
