// Where and how Codex runs. Normally inside our bubblewrap sandbox (agent-sandbox.ts) with Codex's
// own sandbox off (`danger-full-access`: nested, Codex's bwrap cannot start, and ours confines more:
// the town hidden, writes only to the worktree and Codex's state). There Codex runs as the native
// binary (the npm wrapper would need Node's module paths), with an allowlisted environment: PATH,
// HOME and CODEX_HOME in the town's own directory, LANG, TERM, TMPDIR, the session's GT_* and the
// hook's address — never the host's. `policy.yaml` `sandbox: none` is the only way to run Codex on
// the host, under its own `workspace-write` sandbox; without bubblewrap and without that, Codex
// does not start.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { invalidInput } from '../../errors.js';
import {
  baseSandboxEnv,
  detectSandboxHost,
  egressUrl,
  findBridgeScript,
  installBubblewrap,
  looksSecret,
  prepareWorktreeForSandbox,
  sandboxAvailability,
} from '../../sandbox/index.js';
import type { SandboxAvailability, SandboxHost } from '../../sandbox/index.js';
import { isWithin } from '../../sandbox/spec.js';
import type { AgentBox } from '../agent-sandbox.js';
import { agentSandboxArgv } from '../agent-sandbox.js';
import type { SessionStart } from '../runtime.js';
import type { CodexProvider } from './command.js';
import { codexHomeOf } from './command.js';
import type { CodexGate } from './egress.js';
import { insideKeyEnv, startCodexGate } from './egress.js';
import { hookEnv, installHook, startHookServer } from './hook-server.js';
import type { HookDecision, HookServer } from './hook-server.js';
import type { HookInput } from './tool-requests.js';
import { contextMountsOf } from '../context-prompt.js';

/** bwrap's `--info-fd`: the descriptor it reports its namespace's init pid on. */
export const infoFd = 3;

/** What one turn spawns: Codex itself, or bwrap around it. */
export interface CodexSpawn {
  file: string;
  args: string[];
  env: Record<string, string>;
  /** The child reports bwrap's `--info-fd` JSON on descriptor 3. */
  infoFd: boolean;
}

export interface CodexLaunch {
  provider: CodexProvider;
  sandbox: 'workspace-write' | 'danger-full-access';
  /** Messages for the ledger before Codex starts. */
  notes: string[];
  /** Serves Codex's PreToolUse hook for the session (closed with the session). */
  serveHooks(decide: HookDecide): Promise<HookServer>;
  spawnFor(codexArgs: readonly string[], hook: { url: string; token: string }): CodexSpawn;
}

type HookDecide = (input: HookInput) => Promise<HookDecision>;

const nativeTriples: Record<string, string> = {
  x64: 'x86_64-unknown-linux-musl',
  arm64: 'aarch64-unknown-linux-musl',
};

/**
 * The native Codex binary behind `file`: the npm package's `bin/codex.js` only finds and execs
 * `@openai/codex-linux-<arch>/vendor/<triple>/bin/codex`; we start that directly.
 */
export function nativeCodex(file: string): string {
  const real = realpathSync(file);
  if (!real.endsWith('.js')) return real;
  const triple = nativeTriples[process.arch];
  const candidates: string[] = [];
  if (triple !== undefined) {
    try {
      const require = createRequire(real);
      const manifest = require.resolve(`@openai/codex-linux-${process.arch}/package.json`);
      candidates.push(join(dirname(manifest), 'vendor', triple, 'bin', 'codex'));
    } catch {
      // Not installed as a dependency of the wrapper; try the wrapper's own vendor folder.
    }
    candidates.push(join(dirname(real), '..', 'vendor', triple, 'bin', 'codex'));
  }
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) {
    throw invalidInput(
      `codex runtime: ${file} is Codex's Node wrapper, and no native Codex binary for linux-${process.arch} ` +
        'was found beside it; reinstall @openai/codex or set agents.codex.command to the native binary',
    );
  }
  return realpathSync(found);
}

/** What the native binary needs read-only: its `vendor/<triple>` folder (helpers, rg), else itself. */
function installationOf(native: string): string {
  const bin = dirname(native);
  return basename(bin) === 'bin' ? dirname(bin) : native;
}

/** Codex's state for one bead inside the sandbox: `<town>/.gt/agents/codex/<bead>` (CODEX_HOME, HOME). */
export function sandboxedCodexHome(town: string, bead: string): string {
  return join(town, '.gt', 'agents', 'codex', bead.replace(/[^A-Za-z0-9._-]/g, '_'));
}

/** The session's own GT_* variables (none secret-looking): the only ones from the host's env. */
function townVariables(env: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('GT_') && !name.startsWith('GT_CODEX_HOOK_') && !looksSecret(name))
      kept[name] = value;
  }
  return kept;
}

interface LaunchInput {
  start: SessionStart;
  file: string;
  provider: CodexProvider;
  /** The provider key's value for Codex (until the egress gate takes it out of the sandbox). */
  key: string | undefined;
  availability?: () => SandboxAvailability;
}

/** Codex on the host under its own sandbox: only with `policy.yaml` `sandbox: none`. */
async function hostLaunch(input: LaunchInput): Promise<CodexLaunch> {
  const { start } = input;
  const town = start.env['GT_TOWN'];
  // Never the Overseer's own ~/.codex: we write our hook into this one.
  const codexHome = town === undefined ? join(homedir(), '.gastown', 'codex') : codexHomeOf(town, start.env);
  const script = await installHook(codexHome, codexHome);
  return {
    provider: input.provider,
    sandbox: 'workspace-write',
    notes: [
      "gt: Codex runs on the host under its own sandbox (policy.yaml says `sandbox: none`); it can read the town's files",
    ],
    serveHooks: startHookServer,
    spawnFor: (args, hook) => ({
      file: input.file,
      args: [...args],
      env: { ...start.env, CODEX_HOME: codexHome, ...hookEnv(hook, process.execPath, script) },
      infoFd: false,
    }),
  };
}

/** Codex in our sandbox: the native binary, its own sandbox off, an allowlisted environment. */
async function boxedLaunch(input: LaunchInput, host: SandboxHost): Promise<CodexLaunch> {
  const { start } = input;
  const town = start.env['GT_TOWN'] ?? join(dirname(start.worktree), '.gastown-codex');
  const native = nativeCodex(input.file);
  if (isWithin(native, town)) {
    throw invalidInput(
      `codex runtime: agents.codex.command (${input.file}) lies inside the town, which the sandbox hides; ` +
        'install Codex outside the town',
    );
  }
  const codexHome = sandboxedCodexHome(town, start.task.beadId);
  const hookDir = join(town, '.gt', 'agents', 'codex', '.hook');
  mkdirSync(codexHome, { recursive: true, mode: 0o700 });
  if (host.runningAsRoot) {
    await prepareWorktreeForSandbox(start.worktree);
    await prepareWorktreeForSandbox(codexHome);
  }
  // Written after the hand-over, so they stay root's; pinned read-only over Codex's writable home.
  const script = await installHook(codexHome, hookDir);
  const node = realpathSync(process.execPath);
  const bridge = findBridgeScript();
  let gate: CodexGate | undefined;
  return {
    // What Codex is told: the gate's model route; the real endpoint stays with the gate.
    provider: { baseUrl: egressUrl, apiKeyEnv: insideKeyEnv, model: input.provider.model },
    sandbox: 'danger-full-access',
    notes: [],
    serveHooks: async (decideHook) => {
      gate ??= await startCodexGate({ start, town, provider: input.provider, key: input.key, decideHook });
      return gate.hooks;
    },
    spawnFor: (args, hook) => {
      if (gate === undefined) throw new Error('codex: the egress gate must be started before codex');
      const env: Record<string, string> = {
        ...baseSandboxEnv,
        ...townVariables(start.env),
        HOME: codexHome,
        CODEX_HOME: codexHome,
        ...hookEnv(hook, node, script),
        [insideKeyEnv]: gate.gate.placeholderKey,
      };
      const box: AgentBox = {
        worktree: start.worktree,
        townRoot: town,
        egress: { socket: gate.gate.socket, bridge, node },
        writable: [codexHome],
        readOnly: [
          installationOf(native),
          node,
          script,
          join(codexHome, 'hooks.json'),
          join(codexHome, 'config.toml'),
        ],
        env,
        allow: [insideKeyEnv, 'GT_CODEX_HOOK_TOKEN'],
        contextRigs: contextMountsOf(start),
      };
      return {
        ...agentSandboxArgv(box, native, args, host, { infoFd }),
        env: { PATH: process.env['PATH'] ?? baseSandboxEnv['PATH'] ?? '/usr/bin:/bin' },
        infoFd: true,
      };
    },
  };
}

/** Picks where Codex runs; refuses to run it unconfined without the policy's explicit opt-in. */
export async function prepareCodexLaunch(input: LaunchInput): Promise<CodexLaunch> {
  if (input.start.sandbox === 'none') return hostLaunch(input);
  const availability = (input.availability ?? sandboxAvailability)();
  if (!availability.available) {
    throw invalidInput(
      `codex runtime: Codex runs only inside the town's sandbox, and bubblewrap cannot run here ` +
        `(${availability.reason ?? 'unavailable'}); fix: ${availability.install ?? installBubblewrap}, ` +
        'or accept Codex on the host under its own sandbox with `sandbox: none` in policy.yaml',
    );
  }
  return boxedLaunch(input, detectSandboxHost());
}
