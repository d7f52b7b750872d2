// The OpenAI Responses wire format for the scripted model server (the one Codex speaks): a response
// JSON, or the SSE events response.created, response.in_progress, then per output item
// output_item.added … output_item.done (reasoning with its summary parts, a message with its
// output_text content part, function_call with its arguments deltas), and response.completed
// (response.incomplete for a max-tokens stop) carrying the output and the usage.
import { Buffer } from 'node:buffer';
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

type Item = Record<string, unknown> & { id: string; type: string };
type Emit = (type: string, fields: Record<string, unknown>) => void;

function usageOf(turn: ScriptedTurn, context: WireContext) {
  const { input, output, cacheRead, cacheWrite } = context.usage;
  const total = input + cacheRead + cacheWrite;
  return {
    input_tokens: total,
    input_tokens_details: { cached_tokens: cacheRead },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoningTokens(turn, context.usage) },
    total_tokens: total + output,
  };
}

function itemsOf(turn: ScriptedTurn, context: WireContext): Item[] {
  const items: Item[] = [];
  if (turn.thinking !== undefined) {
    const include = context.body.include;
    const encrypted = Array.isArray(include) && include.includes('reasoning.encrypted_content');
    items.push({
      id: randomId('rs_', 48),
      type: 'reasoning',
      summary: turn.thinking === '' ? [] : [{ type: 'summary_text', text: turn.thinking }],
      ...(encrypted
        ? { encrypted_content: Buffer.from(`scripted:${turn.thinking}`).toString('base64') }
        : {}),
    });
  }
  if (turn.text !== undefined) {
    items.push({
      id: randomId('msg_', 48),
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: turn.text, annotations: [], logprobs: [] }],
    });
  }
  for (const call of turn.toolCalls ?? []) {
    items.push({
      id: randomId('fc_', 48),
      type: 'function_call',
      status: 'completed',
      call_id: call.id ?? randomId('call_'),
      name: call.name,
      arguments: JSON.stringify(call.input),
    });
  }
  return items;
}

/** The events between output_item.added and output_item.done for one item. */
function streamItem(item: Item, output_index: number, emit: Emit): void {
  const at = { item_id: item.id, output_index };
  if (item.type === 'reasoning') {
    emit('response.output_item.added', { output_index, item: { ...item, summary: [] } });
    const summary = Array.isArray(item.summary) ? (item.summary as { text: string }[]) : [];
    summary.forEach(({ text }, summary_index) => {
      const part = { type: 'summary_text', text: '' };
      emit('response.reasoning_summary_part.added', { ...at, summary_index, part });
      for (const delta of deltas(text))
        emit('response.reasoning_summary_text.delta', { ...at, summary_index, delta });
      emit('response.reasoning_summary_text.done', { ...at, summary_index, text });
      emit('response.reasoning_summary_part.done', { ...at, summary_index, part: { ...part, text } });
    });
  } else if (item.type === 'message') {
    emit('response.output_item.added', {
      output_index,
      item: { ...item, status: 'in_progress', content: [] },
    });
    const content = item.content as { text: string }[];
    const text = content[0]?.text ?? '';
    const part = { type: 'output_text', text: '', annotations: [], logprobs: [] };
    emit('response.content_part.added', { ...at, content_index: 0, part });
    for (const delta of deltas(text))
      emit('response.output_text.delta', { ...at, content_index: 0, delta, logprobs: [] });
    emit('response.output_text.done', { ...at, content_index: 0, text, logprobs: [] });
    emit('response.content_part.done', { ...at, content_index: 0, part: { ...part, text } });
  } else {
    emit('response.output_item.added', {
      output_index,
      item: { ...item, status: 'in_progress', arguments: '' },
    });
    const args = String(item.arguments);
    for (const delta of deltas(args)) emit('response.function_call_arguments.delta', { ...at, delta });
    emit('response.function_call_arguments.done', { ...at, name: item.name, arguments: args });
  }
  emit('response.output_item.done', { output_index, item });
}

export function responsesReply(turn: ScriptedTurn, context: WireContext): WireReply {
  const headers = { 'x-request-id': randomId('req_', 32) };
  const { body } = context;
  const items = itemsOf(turn, context);
  const incomplete = openAiFinishReason(turn) === 'length';
  const response = {
    id: randomId('resp_', 48),
    object: 'response',
    created_at: nowSeconds(),
    status: 'in_progress',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: context.model,
    output: [] as Item[],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: isRecord(body.reasoning)
      ? { effort: null, summary: null, ...body.reasoning }
      : { effort: null, summary: null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage: null as ReturnType<typeof usageOf> | null,
    user: null,
    metadata: {},
  };
  const finished = {
    ...response,
    status: incomplete ? 'incomplete' : 'completed',
    incomplete_details: incomplete ? { reason: 'max_output_tokens' } : null,
    output: items,
    usage: usageOf(turn, context),
  };
  if (!context.stream) return { kind: 'json', status: 200, headers, body: finished };

  const frames: string[] = [];
  let sequence = 0;
  const emit: Emit = (type, fields) =>
    frames.push(sseFrame(type, { type, sequence_number: sequence++, ...fields }));
  emit('response.created', { response });
  emit('response.in_progress', { response });
  items.forEach((item, index) => streamItem(item, index, emit));
  emit(incomplete ? 'response.incomplete' : 'response.completed', { response: finished });
  return { kind: 'sse', headers, frames };
}
