// A ModelClient for OpenAI-compatible Chat Completions (OpenAI, Ollama, llama.cpp server, vLLM,
// hosted gateways): POST {baseUrl}/chat/completions with `stream: true` and
// `stream_options.include_usage`, the key (when there is one) as `Authorization: Bearer`. Tool
// call deltas are stitched together by index; `reasoning_content` / `reasoning` deltas (vLLM,
// Ollama, DeepSeek) become thinking. Cached prompt tokens are counted apart from the input.
import { z } from 'zod';
import type { ClientOptions } from './anthropic-client.js';
import { guarded, ModelApiError, post, withRetry } from './http.js';
import { parseSse } from './sse.js';
import { parseToolInput } from './tool-input.js';
import type { ModelClient, ModelDelta, ModelMessage, ModelRequest, ModelTurn } from './types.js';

export const openAiDefaults = {
  baseUrl: 'https://api.openai.com/v1',
  model: 'gpt-4.1',
  apiKeyEnv: 'OPENAI_API_KEY',
} as const;

type WireMessage = Record<string, unknown> & { role: string };

export function toChatMessages(system: string, messages: readonly ModelMessage[]): WireMessage[] {
  const out: WireMessage[] = [{ role: 'system', content: system }];
  for (const message of messages) {
    if (message.role === 'user') out.push({ role: 'user', content: message.text });
    else if (message.role === 'tool') {
      for (const r of message.results) {
        const content = r.output === '' ? '(no output)' : r.output;
        // Chat has no error flag on tool results; the text says it.
        out.push({
          role: 'tool',
          tool_call_id: r.callId,
          content: r.isError ? `[error] ${content}` : content,
        });
      }
    } else {
      out.push({
        role: 'assistant',
        content: message.text === '' ? null : message.text,
        ...(message.toolCalls.length > 0
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: call.invalidInput ?? JSON.stringify(call.input) },
              })),
            }
          : {}),
      });
    }
  }
  return out;
}

const usageSchema = z.object({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  prompt_tokens_details: z.object({ cached_tokens: z.number().nullish() }).nullish(),
});
const toolCallDeltaSchema = z.object({
  index: z.number().nullish(),
  id: z.string().nullish(),
  function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});
const deltaSchema = z.object({
  content: z.string().nullish(),
  reasoning_content: z.string().nullish(),
  reasoning: z.string().nullish(),
  tool_calls: z.array(toolCallDeltaSchema).nullish(),
});
const chunkSchema = z.object({
  model: z.string().nullish(),
  choices: z
    .array(
      z.object({
        delta: deltaSchema.nullish(),
        // A server that ignores `stream` answers with whole messages in the same shape.
        message: deltaSchema.nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: usageSchema.nullish(),
  error: z.object({ message: z.string().nullish() }).nullish(),
});
type Chunk = z.infer<typeof chunkSchema>;

class ChatTurnBuilder {
  model: string;
  text = '';
  thinking = '';
  finishReason = '';
  private readonly calls: { id: string; name: string; args: string }[] = [];
  private readonly byIndex = new Map<number, number>();
  readonly usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0 };

  constructor(
    model: string,
    private readonly onDelta?: (delta: ModelDelta) => void,
  ) {
    this.model = model;
  }

  apply(chunk: Chunk, endpoint: string): void {
    if (chunk.error) {
      throw new ModelApiError(`${endpoint} failed mid-stream: ${chunk.error.message ?? 'unknown error'}`, {
        retryable: true,
      });
    }
    if (chunk.model) this.model = chunk.model;
    if (chunk.usage) {
      const cached = chunk.usage.prompt_tokens_details?.cached_tokens ?? 0;
      this.usage.inputTokens = Math.max(0, (chunk.usage.prompt_tokens ?? 0) - cached);
      this.usage.cacheReadTokens = cached;
      this.usage.outputTokens = chunk.usage.completion_tokens ?? 0;
    }
    for (const choice of chunk.choices ?? []) {
      const delta = choice.delta ?? choice.message;
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
      if (!delta) continue;
      if (delta.content) {
        this.text += delta.content;
        this.onDelta?.({ type: 'text', text: delta.content });
      }
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (reasoning) {
        this.thinking += reasoning;
        this.onDelta?.({ type: 'thinking', text: reasoning });
      }
      for (const part of delta.tool_calls ?? []) this.addCall(part);
    }
  }

  private addCall(part: z.infer<typeof toolCallDeltaSchema>): void {
    // Calls are keyed by `index`; servers that omit it send each call whole (or repeat its id).
    let slot =
      part.index != null
        ? this.byIndex.get(part.index)
        : this.calls.findIndex((c) => part.id && c.id === part.id);
    if (slot === undefined || slot < 0) {
      slot = this.calls.push({ id: part.id ?? `call_${this.calls.length + 1}`, name: '', args: '' }) - 1;
      if (part.index != null) this.byIndex.set(part.index, slot);
    }
    const call = this.calls[slot];
    if (!call) return;
    if (part.id) call.id = part.id;
    if (part.function?.name) call.name += part.function.name;
    if (part.function?.arguments) call.args += part.function.arguments;
  }

  turn(): ModelTurn {
    const toolCalls = this.calls.map((call) => ({
      id: call.id,
      name: call.name,
      ...parseToolInput(call.args),
    }));
    const { cacheReadTokens, ...counts } = this.usage;
    return {
      text: this.text,
      ...(this.thinking ? { thinking: this.thinking } : {}),
      toolCalls,
      usage: { ...counts, ...(cacheReadTokens > 0 ? { cacheReadTokens } : {}) },
      stopReason: this.finishReason || (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
      model: this.model,
    };
  }
}

export function createOpenAiClient(options: ClientOptions): ModelClient {
  const given = (options.baseUrl ?? openAiDefaults.baseUrl).replace(/\/+$/, '');
  // A bare origin (`http://127.0.0.1:8000`) means the usual `/v1` under it.
  const root = new URL(given).pathname === '/' ? `${given}/v1` : given;
  const endpoint = `${root}/chat/completions`;
  const model = options.model ?? openAiDefaults.model;
  // OpenAI's reasoning models refuse `max_tokens`; compatible servers know only `max_tokens`.
  const limitField = new URL(given).hostname === 'api.openai.com' ? 'max_completion_tokens' : 'max_tokens';
  const headers = {
    accept: 'text/event-stream',
    // Through the session's gate the placeholder goes out, always; the gate swaps it for the real key.
    ...(options.via ? { authorization: `Bearer ${options.via.key}` } : {}),
    ...(!options.via && options.key.value ? { authorization: `Bearer ${options.key.value}` } : {}),
    ...options.headers,
  };
  const once = async (request: ModelRequest, onDelta?: (delta: ModelDelta) => void): Promise<ModelTurn> => {
    const body = {
      model,
      messages: toChatMessages(request.system, request.messages),
      ...(request.tools.length > 0
        ? {
            tools: request.tools.map((t) => ({
              type: 'function',
              function: { name: t.name, description: t.description, parameters: t.inputSchema },
            })),
          }
        : {}),
      [limitField]: request.maxOutputTokens,
      stream: true,
      stream_options: { include_usage: true },
    };
    const response = await post(endpoint, headers, body, options.key, request.signal, options.via);
    const builder = new ChatTurnBuilder(model, onDelta);
    if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      const whole = chunkSchema.safeParse(await response.json());
      if (!whole.success) {
        throw new ModelApiError(`${endpoint} answered with something that is not a completion`, {
          retryable: false,
        });
      }
      builder.apply(whole.data, endpoint);
      return builder.turn();
    }
    if (!response.body)
      throw new ModelApiError(`${endpoint} answered with an empty body`, { retryable: true });
    let finished = false;
    for await (const frame of parseSse(response.body)) {
      if (frame.data.trim() === '[DONE]') {
        finished = true;
        break;
      }
      const chunk = chunkSchema.safeParse(JSON.parse(frame.data));
      if (chunk.success) builder.apply(chunk.data, endpoint);
    }
    // Some servers close without `[DONE]`; a finish reason is as good.
    if (!finished && !builder.finishReason) {
      throw new ModelApiError(`${endpoint} ended the stream before it finished`, { retryable: true });
    }
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
