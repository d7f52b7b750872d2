// A ModelClient for the Anthropic Messages API (api.anthropic.com or any endpoint that speaks it):
// POST {baseUrl}/v1/messages with `stream: true`, the key in `x-api-key`, `anthropic-version`, and
// prompt caching on the system prompt and the conversation's newest block. Thinking blocks go back
// to the API with their signatures, as it requires across tool calls.
import { z } from 'zod';
import type { EndpointKey, RetryOptions, Via } from './http.js';
import { guarded, ModelApiError, post, withRetry } from './http.js';
import { parseSse } from './sse.js';
import type {
  ModelClient,
  ModelDelta,
  ModelMessage,
  ModelRequest,
  ModelTurn,
  ThinkingBlock,
} from './types.js';
import { parseToolInput } from './tool-input.js';

export const anthropicDefaults = {
  baseUrl: 'https://api.anthropic.com',
  model: 'claude-sonnet-4-5',
  apiKeyEnv: 'ANTHROPIC_API_KEY',
  version: '2023-06-01',
} as const;

export interface ClientOptions {
  /** The API's root (`https://api.anthropic.com`); a trailing `/v1` is tolerated. */
  baseUrl?: string;
  model?: string;
  key: EndpointKey;
  retry?: RetryOptions;
  /** Extra headers (`anthropic-beta`, a proxy's own). */
  headers?: Record<string, string>;
  /** The session's egress gate: requests go there, with its placeholder key (model/gate.ts). */
  via?: Via;
}

type WireBlock = Record<string, unknown> & { type: string };
interface WireMessage {
  role: 'user' | 'assistant';
  content: WireBlock[];
}

/** The conversation in Anthropic's terms: tool results and a following nudge share one user turn. */
export function toAnthropicMessages(messages: readonly ModelMessage[]): WireMessage[] {
  const out: WireMessage[] = [];
  const add = (role: WireMessage['role'], content: WireBlock[]) => {
    const last = out.at(-1);
    if (last && last.role === role) last.content.push(...content);
    else out.push({ role, content });
  };
  for (const message of messages) {
    if (message.role === 'user') add('user', [{ type: 'text', text: message.text }]);
    else if (message.role === 'tool') {
      add(
        'user',
        message.results.map((r) => ({
          type: 'tool_result',
          tool_use_id: r.callId,
          content: r.output === '' ? '(no output)' : r.output,
          ...(r.isError ? { is_error: true } : {}),
        })),
      );
    } else {
      const content: WireBlock[] = [];
      for (const block of message.thinking ?? []) {
        if ('redacted' in block) content.push({ type: 'redacted_thinking', data: block.redacted });
        // The API refuses thinking it did not sign; unsigned thinking stays out.
        else if (block.signature)
          content.push({ type: 'thinking', thinking: block.text, signature: block.signature });
      }
      if (message.text !== '') content.push({ type: 'text', text: message.text });
      for (const call of message.toolCalls)
        content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input });
      if (content.length === 0) content.push({ type: 'text', text: '(no reply)' });
      add('assistant', content);
    }
  }
  // The newest block marks the cache breakpoint, so the next turn reads the whole prefix from cache.
  const lastBlock = out.at(-1)?.content.at(-1);
  if (lastBlock && lastBlock.type !== 'thinking' && lastBlock.type !== 'redacted_thinking') {
    lastBlock.cache_control = { type: 'ephemeral' };
  }
  return out;
}

const usageSchema = z.object({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
});
const contentBlockSchema = z.object({
  type: z.string(),
  id: z.string().nullish(),
  name: z.string().nullish(),
  text: z.string().nullish(),
  thinking: z.string().nullish(),
  signature: z.string().nullish(),
  data: z.string().nullish(),
  input: z.record(z.string(), z.unknown()).nullish(),
});
const eventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message_start'),
    message: z.object({ model: z.string().nullish(), usage: usageSchema.nullish() }),
  }),
  z.object({ type: z.literal('content_block_start'), index: z.number(), content_block: contentBlockSchema }),
  z.object({
    type: z.literal('content_block_delta'),
    index: z.number(),
    delta: z.object({
      type: z.string(),
      text: z.string().nullish(),
      thinking: z.string().nullish(),
      signature: z.string().nullish(),
      partial_json: z.string().nullish(),
    }),
  }),
  z.object({ type: z.literal('content_block_stop'), index: z.number() }),
  z.object({
    type: z.literal('message_delta'),
    delta: z.object({ stop_reason: z.string().nullish() }),
    usage: usageSchema.nullish(),
  }),
  z.object({ type: z.literal('message_stop') }),
  z.object({ type: z.literal('ping') }),
  z.object({ type: z.literal('error'), error: z.object({ type: z.string(), message: z.string() }) }),
]);
type StreamEvent = z.infer<typeof eventSchema>;

type Block =
  | { kind: 'text'; text: string }
  | { kind: 'thinking'; text: string; signature: string }
  | { kind: 'redacted'; data: string }
  | { kind: 'tool'; id: string; name: string; json: string };

/** Folds the stream's events into one turn. */
class TurnBuilder {
  private readonly blocks = new Map<number, Block>();
  model: string;
  stopReason = '';
  stopped = false;
  readonly usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

  constructor(
    model: string,
    private readonly onDelta?: (delta: ModelDelta) => void,
  ) {
    this.model = model;
  }

  apply(event: StreamEvent, endpoint: string): void {
    if (event.type === 'message_start') {
      if (event.message.model) this.model = event.message.model;
      this.addUsage(event.message.usage);
    } else if (event.type === 'content_block_start') {
      const block = event.content_block;
      if (block.type === 'text') this.blocks.set(event.index, { kind: 'text', text: block.text ?? '' });
      else if (block.type === 'thinking')
        this.blocks.set(event.index, { kind: 'thinking', text: block.thinking ?? '', signature: '' });
      else if (block.type === 'redacted_thinking')
        this.blocks.set(event.index, { kind: 'redacted', data: block.data ?? '' });
      else if (block.type === 'tool_use')
        this.blocks.set(event.index, {
          kind: 'tool',
          id: block.id ?? `toolu_${event.index}`,
          name: block.name ?? '',
          json: '',
        });
    } else if (event.type === 'content_block_delta') {
      const block = this.blocks.get(event.index);
      const { delta } = event;
      if (block?.kind === 'text' && delta.text) {
        block.text += delta.text;
        this.onDelta?.({ type: 'text', text: delta.text });
      } else if (block?.kind === 'thinking' && delta.thinking) {
        block.text += delta.thinking;
        this.onDelta?.({ type: 'thinking', text: delta.thinking });
      } else if (block?.kind === 'thinking' && delta.signature) block.signature += delta.signature;
      else if (block?.kind === 'tool' && delta.partial_json) block.json += delta.partial_json;
    } else if (event.type === 'message_delta') {
      if (event.delta.stop_reason) this.stopReason = event.delta.stop_reason;
      this.addUsage(event.usage);
    } else if (event.type === 'message_stop') this.stopped = true;
    else if (event.type === 'error') {
      const retryable = ['overloaded_error', 'api_error', 'rate_limit_error', 'timeout_error'].includes(
        event.error.type,
      );
      throw new ModelApiError(`${endpoint} failed mid-stream (${event.error.type}: ${event.error.message})`, {
        retryable,
      });
    }
  }

  /** Later reports (message_delta) restate the totals so far; the largest value wins. */
  private addUsage(usage: z.infer<typeof usageSchema> | null | undefined): void {
    if (!usage) return;
    const u = this.usage;
    u.inputTokens = Math.max(u.inputTokens, usage.input_tokens ?? 0);
    u.outputTokens = Math.max(u.outputTokens, usage.output_tokens ?? 0);
    u.cacheReadTokens = Math.max(u.cacheReadTokens, usage.cache_read_input_tokens ?? 0);
    u.cacheWriteTokens = Math.max(u.cacheWriteTokens, usage.cache_creation_input_tokens ?? 0);
  }

  turn(): ModelTurn {
    const ordered = [...this.blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => block);
    const thinkingBlocks: ThinkingBlock[] = [];
    let text = '';
    const toolCalls: ModelTurn['toolCalls'] = [];
    for (const block of ordered) {
      if (block.kind === 'text') text += block.text;
      else if (block.kind === 'thinking')
        thinkingBlocks.push({ text: block.text, ...(block.signature ? { signature: block.signature } : {}) });
      else if (block.kind === 'redacted') thinkingBlocks.push({ redacted: block.data });
      else toolCalls.push({ id: block.id, name: block.name, ...parseToolInput(block.json) });
    }
    const thinking = thinkingBlocks.flatMap((b) => ('text' in b ? [b.text] : [])).join('\n\n');
    const { cacheReadTokens, cacheWriteTokens, ...counts } = this.usage;
    return {
      text,
      ...(thinking ? { thinking } : {}),
      ...(thinkingBlocks.length > 0 ? { thinkingBlocks } : {}),
      toolCalls,
      usage: {
        ...counts,
        ...(cacheReadTokens > 0 ? { cacheReadTokens } : {}),
        ...(cacheWriteTokens > 0 ? { cacheWriteTokens } : {}),
      },
      stopReason: this.stopReason || (toolCalls.length > 0 ? 'tool_use' : 'end_turn'),
      model: this.model,
    };
  }
}

export function createAnthropicClient(options: ClientOptions): ModelClient {
  const root = (options.baseUrl ?? anthropicDefaults.baseUrl).replace(/\/+$/, '').replace(/\/v1$/, '');
  const endpoint = `${root}/v1/messages`;
  const model = options.model ?? anthropicDefaults.model;
  const headers = {
    'anthropic-version': anthropicDefaults.version,
    accept: 'text/event-stream',
    // Through the session's gate the placeholder goes out, always; the gate swaps it for the real key.
    ...(options.via ? { 'x-api-key': options.via.key } : {}),
    ...(!options.via && options.key.value ? { 'x-api-key': options.key.value } : {}),
    ...options.headers,
  };
  const once = async (request: ModelRequest, onDelta?: (delta: ModelDelta) => void): Promise<ModelTurn> => {
    const body = {
      model,
      max_tokens: request.maxOutputTokens,
      system: [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }],
      messages: toAnthropicMessages(request.messages),
      ...(request.tools.length > 0
        ? {
            tools: request.tools.map((t) => ({
              name: t.name,
              description: t.description,
              input_schema: t.inputSchema,
            })),
          }
        : {}),
      stream: true,
    };
    const response = await post(endpoint, headers, body, options.key, request.signal, options.via);
    const builder = new TurnBuilder(model, onDelta);
    if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      return fromJson(await response.json(), builder, endpoint);
    }
    if (!response.body)
      throw new ModelApiError(`${endpoint} answered with an empty body`, { retryable: true });
    for await (const frame of parseSse(response.body)) {
      const parsed = eventSchema.safeParse(JSON.parse(frame.data));
      // Event types this client does not know yet are skipped, as the API asks.
      if (parsed.success) builder.apply(parsed.data, endpoint);
    }
    if (!builder.stopped)
      throw new ModelApiError(`${endpoint} ended the stream before message_stop`, { retryable: true });
    return builder.turn();
  };
  return {
    endpoint,
    model,
    complete: (request, onDelta) =>
      withRetry(
        () => guarded(endpoint, options.key, request.signal, () => once(request, onDelta)),
        options.retry ?? {},
        request.signal,
      ),
  };
}

/** A server that ignores `stream: true` answers with the whole message; read it the same way. */
function fromJson(json: unknown, builder: TurnBuilder, endpoint: string): ModelTurn {
  const message = z
    .object({
      model: z.string().nullish(),
      content: z.array(contentBlockSchema),
      stop_reason: z.string().nullish(),
      usage: usageSchema.nullish(),
    })
    .safeParse(json);
  if (!message.success) {
    throw new ModelApiError(`${endpoint} answered with something that is not a message`, {
      retryable: false,
    });
  }
  const { data } = message;
  builder.apply({ type: 'message_start', message: { model: data.model, usage: data.usage } }, endpoint);
  data.content.forEach((block, index) => {
    builder.apply({ type: 'content_block_start', index, content_block: block }, endpoint);
    if (block.type === 'tool_use') {
      const partial_json = JSON.stringify(block.input ?? {});
      builder.apply(
        { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } },
        endpoint,
      );
    }
    if (block.signature) {
      const delta = { type: 'signature_delta', signature: block.signature };
      builder.apply({ type: 'content_block_delta', index, delta }, endpoint);
    }
  });
  builder.apply(
    { type: 'message_delta', delta: { stop_reason: data.stop_reason }, usage: data.usage },
    endpoint,
  );
  builder.apply({ type: 'message_stop' }, endpoint);
  return builder.turn();
}
