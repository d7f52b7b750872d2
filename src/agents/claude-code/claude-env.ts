// The environment `claude` runs with: the caller's (its endpoint and key), minus every other
// secret-looking variable, minus the marks of an enclosing Claude Code session, plus what keeps it
// quiet and ours: no non-essential traffic, its state and HOME in the town's own directory, the
// hook's address and token. The model endpoint and key may also come from `town.yaml`.
import { scrubEnv } from '../../sandbox/index.js';
import type { AgentConfig } from '../runtime.js';
import { hookTimeoutEnv, hookTokenEnv, hookUrlEnv } from './hook-protocol.js';

/** Secret-looking variables Claude Code itself needs to reach its model. */
const providerSecrets = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN'];
const bedrockSecrets = [
  'AWS_BEARER_TOKEN_BEDROCK',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
];

/** Set by a Claude Code that runs us; a child must not think it is nested in that session. */
const inherited = [
  'CLAUDECODE',
  'CLAUDE_CODE_ENTRYPOINT',
  'CLAUDE_CODE_SESSION_ID',
  'CLAUDE_CODE_CHILD_SESSION',
  'CLAUDE_CODE_EXECPATH',
  'CLAUDE_PROJECT_DIR',
  'CLAUDE_CONFIG_DIR',
];

export interface ClaudeEnvInput {
  base: Record<string, string>;
  config: AgentConfig;
  /** Claude Code's own state (settings, transcripts for --resume); also its HOME. */
  stateDir: string;
  hook: { url: string; token: string; waitMs: number };
}

/** The variables and the secret names let through (the sandbox scrubs the rest again). */
export function claudeEnv(input: ClaudeEnvInput): { env: Record<string, string>; allow: string[] } {
  const { base, config } = input;
  const allow = [hookTokenEnv, ...providerSecrets];
  if (base['CLAUDE_CODE_USE_BEDROCK']) allow.push(...bedrockSecrets);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) if (!inherited.includes(name)) env[name] = value;
  if (config.apiKeyEnv !== undefined) {
    const key = base[config.apiKeyEnv];
    if (key !== undefined) env['ANTHROPIC_API_KEY'] = key;
  }
  if (config.baseUrl !== undefined) env['ANTHROPIC_BASE_URL'] = config.baseUrl;
  Object.assign(env, {
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CONFIG_DIR: input.stateDir,
    HOME: input.stateDir,
    [hookUrlEnv]: input.hook.url,
    [hookTokenEnv]: input.hook.token,
    [hookTimeoutEnv]: String(input.hook.waitMs),
  });
  return { env: scrubEnv(env, allow), allow };
}
