// The scripted model server speaks each provider's wire format closely enough that a client
// parsing the stream gets the scripted text, thinking, tool calls and usage back; errors carry the
// provider's body and retry-after; every request is recorded; and the real CLIs run against it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelServer, ScriptedTurn } from '../support/model-server.js';
import { startModelServer } from '../support/model-server.js';
import { makeTempDir, removeTempDirs } from '../support/temp.js';

interface SseEvent {
  event?: string;
  data: string;
}

/** Parses a text/event-stream body the way EventSource does (blank line ends an event). */
function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      return { ...(event === undefined ? {} : { event }), data: data.join('\n') };
    });
}

// Typed views of the wire JSON: each event kind fills only its own fields, and the tests read
// a field only on the kinds that carry it.
interface Usage {
  [name: string]: number | Record<string, number>;
}
interface AnthropicBlock {
  type: string;
  id?: string;
  name?: string;
  text?: string;
  thinking?: string;
  signature?: string;
  input?: unknown;
}
interface AnthropicMessage {
  id: string;
  content: AnthropicBlock[];
  usage: Usage;
}
interface AnthropicEvent {
  type: string;
  index: number;
  message: AnthropicMessage;
  content_block: AnthropicBlock;
  delta: {
    type: string;
    text: string;
    thinking: string;
    signature: string;
    partial_json: string;
    stop_reason: string;
  };
  usage: Usage;
}
interface ChatToolDelta {
  index: number;
  id?: string;
  function: { name?: string; arguments?: string };
}
interface ChatChoice {
  finish_reason: string | null;
  delta: { role?: string; content?: string; tool_calls?: ChatToolDelta[] };
  message: { content: string | null };
}
interface ChatChunk {
  id: string;
  object: string;
  choices: ChatChoice[];
  usage?: Usage | null;
}
interface ResponseItem {
  id: string;
  type: string;
  arguments: string;
  content: { text: string }[];
}
interface ResponsesEvent {
  type: string;
  sequence_number: number;
  item_id: string;
  item: ResponseItem;
  delta: string;
  text: string;
  response: { status: string; output: ResponseItem[]; usage: Usage };
}
interface ModelList {
  data: { id: string }[];
}
interface ClaudeResult {
  result: string;
}
interface CodexLine {
  type: string;
}

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await removeTempDirs();
});

async function answer<T>(path: string, body: unknown): Promise<T> {
  return (await (await post(path, body)).json()) as T;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  if (!server) throw new Error('no server');
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function streamed<T>(
  path: string,
  body: Record<string, unknown>,
): Promise<{ events: SseEvent[]; json: T[] }> {
  const response = await post(path, { ...body, stream: true });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events = parseSse(await response.text());
  const json = events.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data) as T);
  return { events, json };
}

const toolTurn: ScriptedTurn = {
  thinking: 'The file lists the rigs; read it.',
  text: 'Reading the rigs — ✓ 🚀 now.',
  toolCalls: [
    { name: 'read', input: { path: 'rigs/a b.txt', lines: [1, 20] } },
    { id: 'toolu_fixed', name: 'run', input: { command: 'echo "hi"' } },
  ],
  usage: { input: 120, output: 40, cacheRead: 30, cacheWrite: 5 },
};

describe('Anthropic Messages', () => {
  it('streams thinking with its signature, text, tool_use input JSON and usage', async () => {
    server = await startModelServer({ script: [toolTurn] });
    const { events, json } = await streamed<AnthropicEvent>('/v1/messages?beta=true', {
      model: 'claude-x',
      max_tokens: 100,
      messages: [],
    });
    expect(events.every((e, i) => e.event === json[i]!.type)).toBe(true);
    const types = json.map((e) => e.type);
    expect(types[0]).toBe('message_start');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(json[0]!.message).toMatchObject({ role: 'assistant', model: 'claude-x', content: [] });
    expect(json[0]!.message.id).toMatch(/^msg_/);
    expect(json[0]!.message.usage).toMatchObject({
      input_tokens: 120,
      cache_read_input_tokens: 30,
      cache_creation_input_tokens: 5,
    });

    // Rebuild the blocks as a client does.
    const blocks: AnthropicBlock[] = [];
    const partial: string[] = [];
    for (const e of json) {
      if (e.type === 'content_block_start') {
        blocks[e.index] = { ...e.content_block };
        partial[e.index] = '';
      }
      if (e.type !== 'content_block_delta') continue;
      const block = blocks[e.index]!;
      if (e.delta.type === 'text_delta') block.text += e.delta.text;
      if (e.delta.type === 'thinking_delta') block.thinking += e.delta.thinking;
      if (e.delta.type === 'signature_delta') block.signature = e.delta.signature;
      if (e.delta.type === 'input_json_delta') partial[e.index] += e.delta.partial_json;
    }
    partial.forEach((text, index) => {
      if (blocks[index]!.type === 'tool_use') blocks[index]!.input = JSON.parse(text) as unknown;
    });
    expect(blocks[0]).toMatchObject({ type: 'thinking', thinking: toolTurn.thinking });
    expect(blocks[0]!.signature).not.toBe('');
    expect(blocks[1]).toEqual({ type: 'text', text: toolTurn.text });
    expect(blocks[2]).toMatchObject({ type: 'tool_use', name: 'read', input: toolTurn.toolCalls![0]!.input });
    expect(blocks[2]!.id).toMatch(/^toolu_[A-Za-z0-9]+$/);
    expect(blocks[3]).toEqual({
      type: 'tool_use',
      id: 'toolu_fixed',
      name: 'run',
      input: { command: 'echo "hi"' },
    });
    const stops = json.filter((e) => e.type === 'content_block_stop').map((e) => e.index);
    expect(stops).toEqual([0, 1, 2, 3]);
    const delta = json.at(-2)!;
    expect(delta.delta.stop_reason).toBe('tool_use');
    expect(delta.usage.output_tokens).toBe(40);
  });

  it('answers a plain JSON message when not streaming, with end_turn', async () => {
    server = await startModelServer({ script: [{ text: 'hello', usage: { input: 3, output: 1 } }] });
    const response = await post('/v1/messages', { model: 'm', max_tokens: 10, messages: [] });
    expect(await response.json()).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'hello' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 3, output_tokens: 1 },
    });
    expect(response.headers.get('request-id')).toMatch(/^req_/);
  });

  it('counts tokens and lists models without taking a turn', async () => {
    server = await startModelServer({ script: [{ text: 'kept' }] });
    const count = await answer<{ input_tokens: number }>('/v1/messages/count_tokens', {
      model: 'm',
      messages: [{ role: 'user', content: 'x'.repeat(400) }],
    });
    expect(count.input_tokens).toBeGreaterThan(50);
    const models = (await (await fetch(`${server.url}/v1/models`)).json()) as ModelList;
    expect(models.data.length).toBeGreaterThan(0);
    expect(models.data[0]).toMatchObject({ type: 'model', object: 'model' });
    expect(server.remaining()).toBe(1);
    expect(server.requests.map((r) => r.api)).toEqual(['other', 'other']);
  });
});

describe('OpenAI Chat Completions', () => {
  it('streams content and tool_calls deltas by index, then usage and [DONE]', async () => {
    server = await startModelServer({ script: [toolTurn] });
    const { events, json } = await streamed<ChatChunk>('/v1/chat/completions', {
      model: 'gpt-x',
      messages: [],
      stream_options: { include_usage: true },
    });
    expect(events.at(-1)!.data).toBe('[DONE]');
    expect(events.every((e) => e.event === undefined)).toBe(true);
    expect(json.every((c) => c.object === 'chat.completion.chunk' && c.id === json[0]!.id)).toBe(true);
    const choices = json.flatMap((c) => c.choices);
    expect(choices[0]!.delta.role).toBe('assistant');
    const text = choices.map((c) => c.delta.content ?? '').join('');
    expect(text).toBe(toolTurn.text);
    const calls: { id?: string; name?: string; arguments: string }[] = [];
    for (const choice of choices) {
      for (const d of choice.delta.tool_calls ?? []) {
        calls[d.index] ??= { id: d.id, name: d.function.name, arguments: '' };
        calls[d.index]!.arguments += d.function.arguments ?? '';
      }
    }
    expect(calls.map((c) => ({ ...c, arguments: JSON.parse(c.arguments) as unknown }))).toEqual([
      {
        id: expect.stringMatching(/^call_/) as unknown,
        name: 'read',
        arguments: toolTurn.toolCalls![0]!.input,
      },
      { id: 'toolu_fixed', name: 'run', arguments: { command: 'echo "hi"' } },
    ]);
    expect(choices.at(-1)!.finish_reason).toBe('tool_calls');
    const last = json.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({
      prompt_tokens: 155,
      completion_tokens: 40,
      total_tokens: 195,
      prompt_tokens_details: { cached_tokens: 30 },
    });
    expect(json.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('leaves usage out of the stream unless asked, and answers JSON when not streaming', async () => {
    server = await startModelServer({
      script: [{ text: 'a' }, { text: 'b', toolCalls: [{ name: 'list', input: {} }] }],
    });
    const { json } = await streamed<ChatChunk>('/v1/chat/completions', { model: 'g', messages: [] });
    expect(json.some((c) => 'usage' in c)).toBe(false);
    expect(json.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    const body = await answer<ChatChunk & { usage: Record<string, number> }>('/v1/chat/completions', {
      model: 'g',
      messages: [],
    });
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: {
        role: 'assistant',
        content: 'b',
        tool_calls: [{ type: 'function', function: { name: 'list', arguments: '{}' } }],
      },
    });
    const { total_tokens, prompt_tokens, completion_tokens } = body.usage;
    expect(total_tokens).toBe(prompt_tokens! + completion_tokens!);
  });
});

describe('OpenAI Responses', () => {
  it('streams reasoning, message and function_call items and completes with usage', async () => {
    server = await startModelServer({ script: [toolTurn] });
    const { events, json } = await streamed<ResponsesEvent>('/v1/responses', {
      model: 'gpt-x',
      input: [],
      instructions: 'be brief',
    });
    expect(events.every((e, i) => e.event === json[i]!.type)).toBe(true);
    expect(json.map((e) => e.sequence_number)).toEqual(json.map((_, i) => i));
    expect(json.slice(0, 2).map((e) => e.type)).toEqual(['response.created', 'response.in_progress']);
    expect(json[0]!.response).toMatchObject({ status: 'in_progress', instructions: 'be brief', output: [] });
    const added = json.filter((e) => e.type === 'response.output_item.added').map((e) => e.item.type);
    expect(added).toEqual(['reasoning', 'message', 'function_call', 'function_call']);
    const text = json
      .filter((e) => e.type === 'response.output_text.delta')
      .map((e) => e.delta)
      .join('');
    expect(text).toBe(toolTurn.text);
    expect(json.find((e) => e.type === 'response.output_text.done')!.text).toBe(toolTurn.text);
    expect(json.some((e) => e.type === 'response.content_part.added')).toBe(true);
    const summary = json
      .filter((e) => e.type === 'response.reasoning_summary_text.delta')
      .map((e) => e.delta)
      .join('');
    expect(summary).toBe(toolTurn.thinking);
    const done = json.filter((e) => e.type === 'response.output_item.done').map((e) => e.item);
    expect(done[0]).toMatchObject({
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: toolTurn.thinking }],
    });
    expect(done[1]).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: toolTurn.text }],
    });
    const args = json.filter(
      (e) => e.type === 'response.function_call_arguments.delta' && e.item_id === done[2]!.id,
    );
    expect(JSON.parse(args.map((e) => e.delta).join('')) as unknown).toEqual(toolTurn.toolCalls![0]!.input);
    expect(done[2]).toMatchObject({
      type: 'function_call',
      name: 'read',
      call_id: expect.stringMatching(/^call_/) as unknown,
    });
    expect(JSON.parse(done[2]!.arguments) as unknown).toEqual(toolTurn.toolCalls![0]!.input);
    expect(done[3]).toMatchObject({ call_id: 'toolu_fixed', name: 'run' });
    const completed = json.at(-1)!;
    expect(completed.type).toBe('response.completed');
    expect(completed.response.status).toBe('completed');
    expect(completed.response.output).toEqual(done);
    expect(completed.response.usage).toEqual({
      input_tokens: 155,
      input_tokens_details: { cached_tokens: 30 },
      output_tokens: 40,
      output_tokens_details: { reasoning_tokens: expect.any(Number) as unknown },
      total_tokens: 195,
    });
  });

  it('reports a max-tokens stop as response.incomplete', async () => {
    server = await startModelServer({ script: [{ text: 'cut', stopReason: 'max_tokens' }] });
    const { json } = await streamed<ResponsesEvent>('/v1/responses', { model: 'g', input: 'hi' });
    expect(json.at(-1)).toMatchObject({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
    });
  });
});

describe('errors', () => {
  it('answers 429 with retry-after in each provider format, then the next turn', async () => {
    const limited: ScriptedTurn = { error: { status: 429, message: 'slow down', retryAfterSeconds: 7 } };
    server = await startModelServer({ script: [limited, limited, { text: 'ok' }] });
    const anthropic = await post('/v1/messages', { model: 'm', messages: [], stream: true });
    expect(anthropic.status).toBe(429);
    expect(anthropic.headers.get('retry-after')).toBe('7');
    expect(await anthropic.json()).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'slow down' },
    });
    const openai = await post('/v1/chat/completions', { model: 'm', messages: [] });
    expect(openai.status).toBe(429);
    expect(openai.headers.get('retry-after')).toBe('7');
    expect(await openai.json()).toMatchObject({
      error: { message: 'slow down', code: 'rate_limit_exceeded' },
    });
    const after = await answer<ResponsesEvent['response']>('/v1/responses', { model: 'm', input: 'x' });
    expect(after.output[0]!.content[0]!.text).toBe('ok');
  });

  it('answers 500 as a server error without retry-after', async () => {
    server = await startModelServer({
      script: [{ error: { status: 500 } }, { error: { status: 500, shouldRetry: false } }],
    });
    const openai = await post('/v1/responses', { model: 'm', input: 'x', stream: true });
    expect(openai.status).toBe(500);
    expect(openai.headers.get('retry-after')).toBeNull();
    expect(await openai.json()).toMatchObject({ error: { type: 'server_error' } });
    const anthropic = await post('/v1/messages', { model: 'm', messages: [] });
    expect(anthropic.status).toBe(500);
    expect(anthropic.headers.get('x-should-retry')).toBe('false');
    expect(await anthropic.json()).toMatchObject({ error: { type: 'api_error' } });
  });

  it('records unknown paths as other and answers 404 JSON', async () => {
    server = await startModelServer();
    const response = await fetch(`${server.url}/api/hello`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: { message: expect.stringContaining('/api/hello') as unknown },
    });
    expect(server.requests).toMatchObject([{ api: 'other', method: 'GET', path: '/api/hello' }]);
  });
});

describe('script and recording', () => {
  it('records every request with its API, path, headers, body and stream flag', async () => {
    server = await startModelServer({ script: [{ text: 'one' }, { text: 'two' }] });
    await post(
      '/v1/messages?beta=true',
      { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
      { 'x-api-key': 'k1' },
    );
    await streamed('/v1/chat/completions', { model: 'g', messages: [] });
    expect(server.requests).toMatchObject([
      {
        api: 'anthropic',
        method: 'POST',
        path: '/v1/messages',
        query: '?beta=true',
        stream: false,
        headers: { 'x-api-key': 'k1' },
        body: { messages: [{ content: 'hi' }] },
      },
      { api: 'chat', path: '/v1/chat/completions', stream: true },
    ]);
    expect(server.remaining()).toBe(0);
  });

  it('lets the answer callback pick a turn and falls back to the queue', async () => {
    server = await startModelServer({
      script: [{ text: 'from the queue' }],
      answer: (request) =>
        (request.body as { model: string }).model === 'haiku' ? { text: 'side question' } : undefined,
    });
    const side = await answer<AnthropicMessage>('/v1/messages', { model: 'haiku', messages: [] });
    const main = await answer<AnthropicMessage>('/v1/messages', { model: 'opus', messages: [] });
    expect([side.content[0]!.text, main.content[0]!.text]).toEqual(['side question', 'from the queue']);
  });

  it('answers whenEmpty (default "done") once the script runs out, and takes pushed turns', async () => {
    server = await startModelServer({ whenEmpty: { text: 'nothing left' } });
    const first = await answer<AnthropicMessage>('/v1/messages', { model: 'm', messages: [] });
    server.push({ text: 'pushed' });
    expect(server.remaining()).toBe(1);
    const second = await answer<AnthropicMessage>('/v1/messages', { model: 'm', messages: [] });
    expect([first.content[0]!.text, second.content[0]!.text]).toEqual(['nothing left', 'pushed']);
    await server.close();
    server = await startModelServer();
    const fallback = await answer<ChatChunk>('/v1/chat/completions', { model: 'm', messages: [] });
    expect(fallback.choices[0]!.message.content).toBe('done');
  });

  it('holds a delayed turn until its time and closes with it pending', async () => {
    server = await startModelServer({ script: [{ text: 'late', delayMs: 60_000 }] });
    const pending = post('/v1/messages', { model: 'm', messages: [] }).catch((error: unknown) => error);
    await server.waitForRequest((r) => r.api === 'anthropic');
    expect(server.remaining()).toBe(0);
    await server.close();
    server = undefined;
    expect(await pending).toBeInstanceOf(Error);
  });
});

const run = promisify(execFile);
const bin = (path: string) => new URL(`../../node_modules/${path}`, import.meta.url).pathname;

describe('real clients', () => {
  it('Claude Code runs a tool round trip against it', async () => {
    server = await startModelServer({
      script: [
        {
          thinking: 'Run it.',
          toolCalls: [{ name: 'Bash', input: { command: 'echo hi-from-tool', description: 'echo' } }],
        },
        { text: 'The tool said hi.' },
      ],
    });
    const home = await makeTempDir('gt-claude-home');
    const child = run(
      bin('@anthropic-ai/claude-code-linux-x64/claude'),
      ['-p', 'say hi', '--output-format', 'json', '--allowedTools', 'Bash'],
      {
        cwd: home,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          ANTHROPIC_BASE_URL: server.url,
          ANTHROPIC_API_KEY: 'sk-test',
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        },
      },
    );
    child.child.stdin?.end();
    const result = JSON.parse((await child).stdout) as ClaudeResult;
    expect(result).toMatchObject({ is_error: false, result: 'The tool said hi.' });
    const calls = server.requests.filter((r) => r.api === 'anthropic');
    expect(JSON.stringify(calls.at(-1)!.body)).toContain('hi-from-tool');
  });

  it('Codex runs a tool round trip against it', async () => {
    server = await startModelServer({
      script: [
        { thinking: 'Run it.', toolCalls: [{ name: 'exec_command', input: { cmd: 'echo hi-from-tool' } }] },
        { text: 'The tool said hi.' },
      ],
    });
    const home = await makeTempDir('gt-codex-home');
    const provider = `{ name = "scripted", base_url = "${server.url}/v1", env_key = "SCRIPTED_KEY", wire_api = "responses" }`;
    const args = [
      'exec',
      '--json',
      '--skip-git-repo-check',
      '--sandbox',
      'danger-full-access',
      '-c',
      'model_provider="scripted"',
    ];
    const child = run(
      bin('.bin/codex'),
      [...args, '-c', 'model="gpt-5"', '-c', `model_providers.scripted=${provider}`, 'say hi'],
      {
        cwd: home,
        env: { PATH: process.env.PATH ?? '', HOME: home, CODEX_HOME: home, SCRIPTED_KEY: 'sk-test' },
      },
    );
    child.child.stdin?.end();
    const lines = (await child).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as CodexLine);
    expect(lines).toContainEqual(
      expect.objectContaining({
        type: 'item.completed',
        item: expect.objectContaining({ type: 'agent_message', text: 'The tool said hi.' }) as unknown,
      }),
    );
    const calls = server.requests.filter((r) => r.api === 'responses');
    expect(calls).toHaveLength(2);
    expect(JSON.stringify(calls[1]!.body)).toContain('hi-from-tool');
  });
});
