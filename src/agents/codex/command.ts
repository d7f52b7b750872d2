// How Codex is started: which executable, its argument vector, its environment and its home.
// Everything reaches Codex as separate argv elements or `-c key=<TOML>` overrides; values are
// encoded as TOML strings, never spliced into shell text.
import { createHash } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, relative, resolve } from 'node:path';
import { invalidInput } from '../../errors.js';
import { secretNameParts } from '../../sandbox/env.js';
import type { AgentConfig } from '../runtime.js';

/** Our name for the model provider in Codex's config. */
export const providerName = 'gastown';
/** Used when neither `agents.codex.model` nor the environment names a model. */
export const defaultCodexModel = 'gpt-5.5';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Codex executable: `agents.codex.command`, else `codex` on the agent's PATH. */
export function resolveCodex(config: AgentConfig, env: Record<string, string>, cwd: string): string {
  const wanted = config.command ?? 'codex';
  if (wanted.includes('/')) {
    const path = isAbsolute(wanted) ? wanted : resolve(cwd, wanted);
    if (executable(path)) return path;
    throw invalidInput(
      `codex runtime: agents.codex.command in town.yaml is ${wanted}, which is not an executable file`,
    );
  }
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir !== '' && executable(join(dir, wanted))) return join(dir, wanted);
  }
  throw invalidInput(
    `codex runtime: no \`${wanted}\` on PATH; install it (npm install -g @openai/codex) or set ` +
      'agents.codex.command in town.yaml to its path',
  );
}

/** A TOML basic string (JSON's escapes are valid TOML for every character we can meet). */
export const tomlString = (value: string): string => JSON.stringify(value);

export interface CodexProvider {
  baseUrl: string | undefined;
  apiKeyEnv: string | undefined;
  model: string;
}

/** Endpoint, key variable and model from `town.yaml`, then OPENAI_BASE_URL / OPENAI_API_KEY. */
export function providerOf(config: AgentConfig, env: Record<string, string>): CodexProvider {
  const keyEnv = config.apiKeyEnv ?? 'OPENAI_API_KEY';
  return {
    baseUrl: config.baseUrl ?? env['OPENAI_BASE_URL'],
    // Codex refuses to start when the named variable is unset; a local endpoint needs no key.
    apiKeyEnv: env[keyEnv] === undefined ? undefined : keyEnv,
    model: config.model ?? env['CODEX_MODEL'] ?? defaultCodexModel,
  };
}

export interface CodexArgvInput {
  provider: CodexProvider;
  /** Codex's own sandbox for the commands it runs. */
  sandbox: 'workspace-write' | 'danger-full-access';
  /** The thread to continue, from an earlier session's `thread.started`. */
  resume?: string;
  extraArgs?: readonly string[];
}

/** Glob patterns of variables the commands Codex runs never see. */
export function excludedEnv(provider: CodexProvider): string[] {
  return [
    'GT_CODEX_HOOK_*',
    ...secretNameParts.flatMap((part) => [`*${part}*`, `*${part.toLowerCase()}*`]),
    ...(provider.apiKeyEnv === undefined ? [] : [provider.apiKeyEnv]),
  ];
}

/** `codex exec [resume <id>] --json … -` (the prompt comes on stdin). */
export function codexArgv(input: CodexArgvInput): string[] {
  const { provider } = input;
  const config: string[] = [
    `sandbox_mode=${tomlString(input.sandbox)}`,
    // Nobody is at Codex's prompt: our hook and the policy are the approval.
    'approval_policy="never"',
    // The hook's address and key, the provider's key and anything that looks secret stay out of
    // the commands Codex runs (Codex passes its whole environment on otherwise, keys included).
    `shell_environment_policy.exclude=[${excludedEnv(provider).map(tomlString).join(', ')}]`,
    // Codex runs commands in a login shell otherwise, whose profile resets PATH and so loses the
    // town's `gt` and `bd` shims that the agent's environment puts first on it.
    'allow_login_shell=false',
    // Codex checks for updates and phones home otherwise; a polecat needs neither.
    'check_for_update_on_startup=false',
    'analytics.enabled=false',
  ];
  if (provider.baseUrl !== undefined) {
    const fields = [
      `name=${tomlString(providerName)}`,
      `base_url=${tomlString(provider.baseUrl)}`,
      'wire_api="responses"',
      ...(provider.apiKeyEnv === undefined ? [] : [`env_key=${tomlString(provider.apiKeyEnv)}`]),
    ];
    config.push(
      `model_provider=${tomlString(providerName)}`,
      `model_providers.${providerName}={${fields.join(', ')}}`,
    );
  }
  return [
    'exec',
    ...(input.resume === undefined ? [] : ['resume']),
    '--json',
    '--skip-git-repo-check',
    // The only hook in CODEX_HOME is ours, written by us at every start.
    '--dangerously-bypass-hook-trust',
    // Codex's goal tools are its own bookkeeping, yet pass the hook: every one would be an ask.
    '--disable',
    'goals',
    // Plugins make Codex fetch from github.com and chatgpt.com at every start, which the egress
    // gate would put to the policy (an ask each) though no polecat needs them.
    '--disable',
    'plugins',
    '--disable',
    'remote_plugin',
    ...config.flatMap((entry) => ['-c', entry]),
    '-m',
    provider.model,
    ...(input.extraArgs ?? []),
    ...(input.resume === undefined ? [] : [input.resume]),
    '-',
  ];
}

/**
 * CODEX_HOME for a town: one per town, so a later session can resume an earlier one's thread;
 * `.gt/agents/codex/home` in the town. Codex will not put its helper binaries under a temporary
 * directory, and without them its sandbox cannot start a single command ("execvp
 * codex-linux-sandbox: No such file"), so a town under /tmp or $TMPDIR gets its Codex home in
 * ~/.cache/gastown/codex/<hash of the town's path> instead.
 */
export function codexHomeOf(townRoot: string, env: Record<string, string> = {}): string {
  const temporary = ['/tmp', env['TMPDIR'], tmpdir()].filter((dir): dir is string => !!dir && dir !== '/');
  if (!temporary.some((dir) => isWithinDir(resolve(townRoot), resolve(dir)))) {
    return join(townRoot, '.gt', 'agents', 'codex', 'home');
  }
  const hash = createHash('sha256').update(resolve(townRoot)).digest('hex').slice(0, 16);
  return join(homedir(), '.cache', 'gastown', 'codex', hash);
}

function isWithinDir(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
