// The Mayor on our own tool loop (`anthropic` or `openai` runtime): the model sees the town's MCP
// tools, each call goes to `gt mcp` (which records it under the request), the Mayor's thoughts go
// to the ledger, each model call's spend to the usage table, and its last reply is the answer. A
// REPL passes the conversation so far as history.
import type { AgentConfig } from '../agents/index.js';
import { anthropicProvider } from '../agents/anthropic.js';
import type { ModelClient, ModelMessage, ProviderDefaults } from '../agents/model/index.js';
import { createAnthropicClient, createOpenAiClient, runToolLoop } from '../agents/model/index.js';
import { openAiProvider } from '../agents/openai.js';
import type { PriceTable } from '../roles/budget/prices.js';
import type { TownServices } from '../town/services.js';
import type { MayorAnswer, MayorRequest } from './request.js';
import { recordMayorUsage, recordThought } from './request.js';
import type { TownToolsConnection } from './town-tools.js';

export interface ModelMayorOptions {
  town: Pick<TownServices, 'db' | 'ledger'>;
  runtime: 'anthropic' | 'openai';
  /** The town's price table (town.yaml `prices:` over the defaults) for the usage it records. */
  prices?: PriceTable;
  config: AgentConfig;
  env: Record<string, string | undefined>;
  tools: TownToolsConnection;
  request: MayorRequest;
  system: string;
  history?: readonly ModelMessage[];
  signal?: AbortSignal;
  /** What the Mayor does, as it happens (the CLI shows it). */
  onEvent?: (event: MayorEvent) => void;
  maxTurns?: number;
}

export type MayorEvent =
  | { type: 'text'; text: string }
  | { type: 'thinking'; text: string }
  | { type: 'tool'; name: string; input: Record<string, unknown>; isError: boolean; output: string };

export interface ModelMayorResult {
  answer: MayorAnswer;
  messages: ModelMessage[];
}

export async function runModelMayor(options: ModelMayorOptions): Promise<ModelMayorResult> {
  const provider = options.runtime === 'anthropic' ? anthropicProvider : openAiProvider;
  const client = clientFor(options.runtime, provider, options.config, options.env);
  const usage = { inputTokens: 0, outputTokens: 0 };
  let model: string | undefined;
  // A turn's text is a thought when tool calls follow it, the answer when none do.
  let pending: string | undefined;
  const flush = () => {
    if (pending !== undefined) recordThought(options.town, options.request, 'message', pending);
    pending = undefined;
  };
  const result = await runToolLoop({
    client,
    system: options.system,
    prompt: options.request.text,
    ...(options.history ? { history: options.history } : {}),
    tools: options.tools.tools,
    execute: async (call) => {
      flush();
      const result = await options.tools.call(call.name, call.input, options.request);
      options.onEvent?.({ type: 'tool', name: call.name, input: call.input, ...result });
      return result;
    },
    emit: (event) => {
      if (event.type === 'reasoning') {
        recordThought(options.town, options.request, 'reasoning', event.text);
        options.onEvent?.({ type: 'thinking', text: event.text });
      } else if (event.type === 'message') {
        flush();
        pending = event.text;
        options.onEvent?.({ type: 'text', text: event.text });
      } else if (event.type === 'usage') {
        const { type: _type, ...spent } = event;
        recordMayorUsage(options.town, options.request, spent, options.prices);
        usage.inputTokens += event.inputTokens;
        usage.outputTokens += event.outputTokens;
        model = event.model ?? model;
      }
    },
    contextTokens: options.config.contextTokens ?? provider.contextTokens,
    ...(options.config.maxOutputTokens === undefined
      ? {}
      : { maxOutputTokens: options.config.maxOutputTokens }),
    maxTurns: options.maxTurns ?? 40,
    signal: options.signal ?? new AbortController().signal,
    nudges: [],
  });
  const answer: MayorAnswer = {
    text: result.summary,
    outcome: result.outcome,
    runtime: options.runtime,
    turns: result.turns,
    usage,
    ...(model === undefined ? {} : { model }),
  };
  return { answer, messages: result.messages };
}

function clientFor(
  runtime: 'anthropic' | 'openai',
  provider: ProviderDefaults,
  config: AgentConfig,
  env: Record<string, string | undefined>,
): ModelClient {
  const keyEnv = config.apiKeyEnv ?? provider.apiKeyEnv;
  const key = env[keyEnv];
  const options = {
    baseUrl: config.baseUrl ?? env[provider.baseUrlEnv] ?? provider.baseUrl,
    model: config.model ?? env[provider.modelEnv] ?? provider.model,
    key: { env: keyEnv, ...(key ? { value: key } : {}) },
  };
  return runtime === 'anthropic' ? createAnthropicClient(options) : createOpenAiClient(options);
}
