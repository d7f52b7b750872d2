// The `openai` runtime: our own tool loop against any OpenAI-compatible Chat Completions endpoint
// (OpenAI, Ollama at http://127.0.0.1:11434/v1, llama.cpp server, vLLM, hosted gateways).
// town.yaml `agents.openai` sets base_url, model, api_key_env, context_tokens and
// max_output_tokens; unset, $OPENAI_BASE_URL and $OPENAI_MODEL, then the defaults. A local server
// needs no key: without one no Authorization header is sent.
import { createOpenAiClient, openAiDefaults } from './model/openai-client.js';
import type { ModelRuntimeOptions, ProviderDefaults } from './model/session.js';
import { startModelSession } from './model/session.js';
import type { AgentRuntime, AgentSession, SessionStart } from './runtime.js';

export const openAiProvider: ProviderDefaults = {
  name: 'openai',
  baseUrl: openAiDefaults.baseUrl,
  model: openAiDefaults.model,
  apiKeyEnv: openAiDefaults.apiKeyEnv,
  baseUrlEnv: 'OPENAI_BASE_URL',
  modelEnv: 'OPENAI_MODEL',
  contextTokens: 128_000,
  keyHeader: 'authorization',
};

export class OpenAiRuntime implements AgentRuntime {
  readonly name = 'openai';

  constructor(private readonly options: ModelRuntimeOptions = {}) {}

  start(start: SessionStart): AgentSession {
    return startModelSession(start, openAiProvider, createOpenAiClient, this.options);
  }
}
