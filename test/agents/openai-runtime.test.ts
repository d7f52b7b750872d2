// The openai runtime passes the runtime contract and the model runtime cases against the scripted
// server's Chat Completions API, plus what is its own: the request shape OpenAI-compatible servers
// expect, a bare origin as base URL, reasoning deltas, and a server that ignores `stream`.
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/agents/index.js';
import { OpenAiRuntime } from '../../src/agents/index.js';
import { startModelServer } from '../support/model-server.js';
import { modelResumeCases } from './model-resume-cases.js';
import { modelRuntimeCases, type ModelRuntimeSpec } from './model-runtime-cases.js';
import { recordingGateway } from './runtime-contract.js';

const spec: ModelRuntimeSpec = {
  name: 'openai',
  api: 'chat',
  make: (options) => new OpenAiRuntime(options),
  // As for Ollama (http://127.0.0.1:11434/v1): the base URL holds the /v1.
  baseUrl: (url) => `${url}/v1`,
  defaultKeyEnv: 'OPENAI_API_KEY',
  keyHeader: (key) => ['authorization', `Bearer ${key}`],
};
modelRuntimeCases(spec);
modelResumeCases(spec);

describe('openai runtime, Chat Completions specifics', () => {
  it('asks for usage in the stream, sends tools as functions, and takes a bare origin as base URL', async () => {
    const server = await startModelServer({
      script: [
        { thinking: 'Search first.', toolCalls: [{ name: 'search', input: { pattern: 'TODO' } }] },
        { text: 'Found them.' },
      ],
    });
    try {
      const tools = recordingGateway();
      const session = new OpenAiRuntime().start({
        sessionId: 's',
        worktree: '/w',
        task: { beadId: 'gt-t', title: 'search', steps: [] },
        tools,
        config: { baseUrl: server.url, model: 'qwen2.5-coder:7b', maxOutputTokens: 999 },
        env: {},
      });
      const events: AgentEvent[] = [];
      for await (const event of session.events) events.push(event);
      expect(events).toContainEqual({ type: 'reasoning', text: 'Search first.' });
      expect(tools.calls).toMatchObject([{ tool: 'search', pattern: 'TODO', path: '.' }]);
      const [first, second] = server.requests.filter((r) => r.api === 'chat');
      expect(first?.path).toBe('/v1/chat/completions');
      expect(first?.headers.authorization).toBeUndefined();
      expect(first?.body).toMatchObject({
        model: 'qwen2.5-coder:7b',
        max_tokens: 999,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'system' }, { role: 'user' }],
      });
      const body = first?.body as { tools: { type: string; function: { name: string } }[] };
      expect(body.tools.map((t) => t.function.name)).toContain('run_command');
      const messages = (second?.body as { messages: Record<string, unknown>[] }).messages;
      expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
      expect(messages[2]).toMatchObject({
        content: null,
        tool_calls: [{ type: 'function', function: { name: 'search' } }],
      });
    } finally {
      await server.close();
    }
  });
});
