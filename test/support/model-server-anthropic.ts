// The Anthropic Messages wire format for the scripted model server: a JSON message, or the SSE
// stream message_start, ping, content_block_start/delta/stop per block (thinking_delta then
// signature_delta, text_delta, input_json_delta), message_delta (stop_reason, usage), message_stop.
import { Buffer } from 'node:buffer';
import type { ScriptedTurn, WireContext, WireReply } from './model-server-wire.js';
import { anthropicStopReason, deltas, randomId, sseFrame } from './model-server-wire.js';

type Block =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

function blocksOf(turn: ScriptedTurn): Block[] {
  const blocks: Block[] = [];
  if (turn.thinking !== undefined) {
    // Clients keep the signature and send it back; nothing checks it here.
    const signature = Buffer.from(`scripted-thinking:${turn.thinking.length}`).toString('base64');
    blocks.push({ type: 'thinking', thinking: turn.thinking, signature });
  }
  if (turn.text !== undefined) blocks.push({ type: 'text', text: turn.text });
  for (const call of turn.toolCalls ?? []) {
    blocks.push({
      type: 'tool_use',
      id: call.id ?? randomId('toolu_01'),
      name: call.name,
      input: call.input,
    });
  }
  return blocks;
}

function usageOf(context: WireContext, output: number) {
  const { usage } = context;
  return {
    input_tokens: usage.input,
    cache_creation_input_tokens: usage.cacheWrite,
    cache_read_input_tokens: usage.cacheRead,
    output_tokens: output,
  };
}

export function anthropicReply(turn: ScriptedTurn, context: WireContext): WireReply {
  const id = randomId('msg_01');
  const headers = { 'request-id': randomId('req_01') };
  const blocks = blocksOf(turn);
  const stopReason = anthropicStopReason(turn);
  const message = {
    id,
    type: 'message',
    role: 'assistant',
    model: context.model,
    content: blocks,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { ...usageOf(context, context.usage.output), service_tier: 'standard' },
  };
  if (!context.stream) return { kind: 'json', status: 200, headers, body: message };

  const frames: string[] = [];
  const send = (data: { type: string } & Record<string, unknown>) => frames.push(sseFrame(data.type, data));
  send({
    type: 'message_start',
    message: {
      ...message,
      content: [],
      stop_reason: null,
      usage: { ...usageOf(context, 1), service_tier: 'standard' },
    },
  });
  send({ type: 'ping' });
  blocks.forEach((block, index) => {
    const delta = (payload: Record<string, unknown>) =>
      send({ type: 'content_block_delta', index, delta: payload });
    if (block.type === 'thinking') {
      send({
        type: 'content_block_start',
        index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      });
      for (const piece of deltas(block.thinking)) delta({ type: 'thinking_delta', thinking: piece });
      delta({ type: 'signature_delta', signature: block.signature });
    } else if (block.type === 'text') {
      send({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      for (const piece of deltas(block.text)) delta({ type: 'text_delta', text: piece });
    } else {
      send({
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      delta({ type: 'input_json_delta', partial_json: '' });
      for (const piece of deltas(JSON.stringify(block.input)))
        delta({ type: 'input_json_delta', partial_json: piece });
    }
    send({ type: 'content_block_stop', index });
  });
  send({
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: usageOf(context, context.usage.output),
  });
  send({ type: 'message_stop' });
  return { kind: 'sse', headers, frames };
}

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

export function anthropicError(
  status: number,
  message: string,
): { body: unknown; headers: Record<string, string> } {
  const type = errorTypes[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  const requestId = randomId('req_01');
  return {
    headers: { 'request-id': requestId },
    body: { type: 'error', error: { type, message }, request_id: requestId },
  };
}

/** POST /v1/messages/count_tokens: a plausible count for the request's messages, system and tools. */
export function countTokens(body: unknown): { input_tokens: number } {
  return { input_tokens: Math.max(1, Math.ceil(JSON.stringify(body ?? '').length / 4)) };
}
