// Where Claude's model is and what opens it: `agents.claude-code.base_url` / ANTHROPIC_BASE_URL, and
// the key from `api_key_env`, ANTHROPIC_API_KEY (sent as x-api-key) or ANTHROPIC_AUTH_TOKEN (a
// bearer token). In the sandbox the egress gate holds these and Claude gets the gate's address and
// a placeholder. Bedrock, Vertex and Claude.ai OAuth are refused there: their credentials are
// signed requests or refreshed tokens the gate cannot swap in yet, and handing them to the sandbox
// would put a real secret inside. On the host (`sandbox: none`) they pass as before.
import { invalidInput } from '../../errors.js';
import { egressUrl } from '../../sandbox/index.js';
import type { ModelEndpoint } from '../../sandbox/index.js';
import type { AgentConfig } from '../runtime.js';
import type { ClaudeModelAccess } from './claude-env.js';

export const defaultAnthropicUrl = 'https://api.anthropic.com';

const bedrockNames = [
  'CLAUDE_CODE_USE_BEDROCK',
  'AWS_BEARER_TOKEN_BEDROCK',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_PROFILE',
];
const vertexNames = [
  'CLAUDE_CODE_USE_VERTEX',
  'CLOUD_ML_REGION',
  'ANTHROPIC_VERTEX_PROJECT_ID',
  'GOOGLE_APPLICATION_CREDENTIALS',
];

/** The real endpoint, and which variable Claude reads the (placeholder) key from. */
export interface GatedModel {
  endpoint: ModelEndpoint;
  keyName: 'ANTHROPIC_API_KEY' | 'ANTHROPIC_AUTH_TOKEN';
}

function apiKeyOf(env: Record<string, string>, config: AgentConfig): string | undefined {
  if (config.apiKeyEnv !== undefined) return env[config.apiKeyEnv] || undefined;
  return env['ANTHROPIC_API_KEY'] || undefined;
}

/** For the egress gate; a clear error for a provider it cannot stand in for, or no key at all. */
export function gatedModelOf(env: Record<string, string>, config: AgentConfig): GatedModel {
  const provider = env['CLAUDE_CODE_USE_BEDROCK']
    ? 'Bedrock'
    : env['CLAUDE_CODE_USE_VERTEX']
      ? 'Vertex'
      : undefined;
  if (provider !== undefined) {
    throw invalidInput(
      `claude-code: ${provider} credentials cannot be kept out of the sandbox yet; use an Anthropic API key (agents.claude-code.api_key_env in town.yaml) or an ANTHROPIC_AUTH_TOKEN gateway, or set \`sandbox: none\` in policy.yaml to run Claude on the host`,
    );
  }
  const baseUrl = config.baseUrl ?? (env['ANTHROPIC_BASE_URL'] || defaultAnthropicUrl);
  const key = apiKeyOf(env, config);
  if (key !== undefined) {
    return {
      endpoint: { baseUrl, credential: { header: 'x-api-key', value: key } },
      keyName: 'ANTHROPIC_API_KEY',
    };
  }
  const token = env['ANTHROPIC_AUTH_TOKEN'];
  if (token) {
    return {
      endpoint: { baseUrl, credential: { header: 'authorization', value: token } },
      keyName: 'ANTHROPIC_AUTH_TOKEN',
    };
  }
  throw invalidInput(
    env['CLAUDE_CODE_OAUTH_TOKEN']
      ? 'claude-code: a Claude.ai OAuth token (CLAUDE_CODE_OAUTH_TOKEN) cannot be kept out of the sandbox; use an API key (agents.claude-code.api_key_env in town.yaml) or set `sandbox: none` in policy.yaml'
      : `claude-code: no API key for the model: set ${config.apiKeyEnv ?? 'ANTHROPIC_API_KEY'} (agents.claude-code.api_key_env in town.yaml names the variable)`,
  );
}

/** What Claude sees in the sandbox: the gate's model route and the session's placeholder. */
export function gateAccess(model: GatedModel, placeholderKey: string): ClaudeModelAccess {
  return { baseUrl: egressUrl, key: { name: model.keyName, value: placeholderKey } };
}

/** What Claude sees on the host: the real endpoint and key, and Bedrock's or Vertex's variables. */
export function hostAccess(env: Record<string, string>, config: AgentConfig): ClaudeModelAccess {
  const baseUrl = config.baseUrl ?? (env['ANTHROPIC_BASE_URL'] || undefined);
  const key = apiKeyOf(env, config);
  const named = (name: string) => (env[name] ? [{ name, value: env[name] }] : []);
  const found = [
    ...(key === undefined ? [] : [{ name: 'ANTHROPIC_API_KEY', value: key }]),
    ...named('ANTHROPIC_AUTH_TOKEN'),
    ...named('CLAUDE_CODE_OAUTH_TOKEN'),
  ][0];
  const extra: Record<string, string> = {};
  const providerNames = env['CLAUDE_CODE_USE_BEDROCK']
    ? bedrockNames
    : env['CLAUDE_CODE_USE_VERTEX']
      ? vertexNames
      : [];
  for (const name of providerNames) if (env[name]) extra[name] = env[name];
  return {
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(found === undefined ? {} : { key: found }),
    extra,
  };
}
