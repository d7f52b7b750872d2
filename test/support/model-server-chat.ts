// The OpenAI Chat Completions wire format for the scripted model server: a chat.completion JSON,
// or `data:` chat.completion.chunk lines (role, content deltas, tool_calls deltas by index with
// the id and name first and the arguments in pieces, finish_reason), the usage chunk with empty
// choices when stream_options.include_usage asks for it, and `data: [DONE]`.
import type { ScriptedTurn, WireContext, WireReply } from './model-server-wire.js';
import {
  deltas,
  isRecord,
  nowSeconds,
  openAiFinishReason,
  randomId,
  reasoningTokens,
  sseFrame,
} from './model-server-wire.js';

function usageOf(turn: ScriptedTurn, context: WireContext) {
  const { input, output, cacheRead, cacheWrite } = context.usage;
  const prompt = input + cacheRead + cacheWrite;
  return {
    prompt_tokens: prompt,
    completion_tokens: output,
    total_tokens: prompt + output,
    prompt_tokens_details: { cached_tokens: cacheRead, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: reasoningTokens(turn, context.usage),
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export function chatReply(turn: ScriptedTurn, context: WireContext): WireReply {
  const id = randomId('chatcmpl-', 29);
  const created = nowSeconds();
  const headers = { 'x-request-id': randomId('req_', 32) };
  const finishReason = openAiFinishReason(turn);
  const calls = (turn.toolCalls ?? []).map((call) => ({
    id: call.id ?? randomId('call_'),
    name: call.name,
    arguments: JSON.stringify(call.input),
  }));
  const common = { id, created, model: context.model, system_fingerprint: 'fp_scripted' };
  if (!context.stream) {
    const message = {
      role: 'assistant',
      content: turn.text ?? null,
      refusal: null,
      annotations: [],
      ...(turn.thinking !== undefined ? { reasoning_content: turn.thinking } : {}),
      ...(calls.length
        ? {
            tool_calls: calls.map((call) => ({
              id: call.id,
              type: 'function',
              function: { name: call.name, arguments: call.arguments },
            })),
          }
        : {}),
    };
    return {
      kind: 'json',
      status: 200,
      headers,
      body: {
        ...common,
        object: 'chat.completion',
        choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
        usage: usageOf(turn, context),
        service_tier: 'default',
      },
    };
  }

  const options = context.body.stream_options;
  const includeUsage = isRecord(options) && options.include_usage === true;
  const frames: string[] = [];
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    frames.push(
      sseFrame(undefined, {
        ...common,
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        ...(includeUsage ? { usage: null } : {}),
      }),
    );
  chunk({ role: 'assistant', content: '', refusal: null });
  // No OpenAI model streams its reasoning here; `reasoning_content` is the field others use.
  for (const piece of deltas(turn.thinking ?? '')) chunk({ reasoning_content: piece });
  for (const piece of deltas(turn.text ?? '')) chunk({ content: piece });
  calls.forEach((call, index) => {
    chunk({
      tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
    });
    for (const piece of deltas(call.arguments))
      chunk({ tool_calls: [{ index, function: { arguments: piece } }] });
  });
  chunk({}, finishReason);
  if (includeUsage) {
    frames.push(
      sseFrame(undefined, {
        ...common,
        object: 'chat.completion.chunk',
        choices: [],
        usage: usageOf(turn, context),
      }),
    );
  }
  frames.push(sseFrame(undefined, '[DONE]'));
  return { kind: 'sse', headers, frames };
}

const errorTypes: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
};

/** The error body both OpenAI APIs (Chat and Responses) answer with. */
export function openAiError(
  status: number,
  message: string,
): { body: unknown; headers: Record<string, string> } {
  const { type, code } = errorTypes[status] ?? {
    type: status >= 500 ? 'server_error' : 'invalid_request_error',
    code: null,
  };
  return {
    headers: { 'x-request-id': randomId('req_', 32) },
    body: { error: { message, type, param: null, code } },
  };
}
