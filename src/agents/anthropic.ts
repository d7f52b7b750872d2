// The `anthropic` runtime: our own tool loop against the Anthropic Messages API or any endpoint
// that speaks it. town.yaml `agents.anthropic` sets base_url, model, api_key_env, context_tokens
// and max_output_tokens; unset, $ANTHROPIC_BASE_URL and $ANTHROPIC_MODEL, then the defaults.
import { anthropicDefaults, createAnthropicClient } from './model/anthropic-client.js';
import type { ModelRuntimeOptions, ProviderDefaults } from './model/session.js';
import { startModelSession } from './model/session.js';
import type { AgentRuntime, AgentSession, SessionStart } from './runtime.js';

export const anthropicProvider: ProviderDefaults = {
  name: 'anthropic',
  baseUrl: anthropicDefaults.baseUrl,
  model: anthropicDefaults.model,
  apiKeyEnv: anthropicDefaults.apiKeyEnv,
  baseUrlEnv: 'ANTHROPIC_BASE_URL',
  modelEnv: 'ANTHROPIC_MODEL',
  contextTokens: 200_000,
  keyHeader: 'x-api-key',
};

export class AnthropicRuntime implements AgentRuntime {
  readonly name = 'anthropic';

  constructor(private readonly options: ModelRuntimeOptions = {}) {}

  start(start: SessionStart): AgentSession {
    return startModelSession(start, anthropicProvider, createAnthropicClient, this.options);
  }
}
