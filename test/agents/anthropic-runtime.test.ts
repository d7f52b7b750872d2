// The anthropic runtime passes the runtime contract and the model runtime cases against the
// scripted server's Messages API, plus what is Anthropic's own: its version header, thinking
// blocks sent back with their signatures, and prompt-cache breakpoints.
import { describe, expect, it } from 'vitest';
import { AnthropicRuntime } from '../../src/agents/index.js';
import { startModelServer } from '../support/model-server.js';
import { modelResumeCases } from './model-resume-cases.js';
import { modelRuntimeCases, type ModelRuntimeSpec } from './model-runtime-cases.js';
import { recordingGateway } from './runtime-contract.js';

const spec: ModelRuntimeSpec = {
  name: 'anthropic',
  api: 'anthropic',
  make: (options) => new AnthropicRuntime(options),
  baseUrl: (url) => url,
  defaultKeyEnv: 'ANTHROPIC_API_KEY',
  keyHeader: (key) => ['x-api-key', key],
};
modelRuntimeCases(spec);
modelResumeCases(spec);

describe('anthropic runtime, Messages API specifics', () => {
  it('sends anthropic-version, returns signed thinking with the tool call, and marks cache breakpoints', async () => {
    const server = await startModelServer({
      script: [
        { thinking: 'List first.', toolCalls: [{ name: 'list_files', input: {} }] },
        { text: 'Listed.' },
      ],
    });
    try {
      const session = new AnthropicRuntime().start({
        sessionId: 's',
        worktree: '/w',
        task: { beadId: 'gt-t', title: 'think', steps: [] },
        tools: recordingGateway(),
        // A trailing /v1 on the base URL is the same endpoint.
        config: { baseUrl: `${server.url}/v1`, maxOutputTokens: 1234 },
        env: {},
      });
      for await (const _ of session.events) void _;
      const [first, second] = server.requests.filter((r) => r.api === 'anthropic');
      expect(first?.path).toBe('/v1/messages');
      expect(first?.headers['anthropic-version']).toBe('2023-06-01');
      expect(first?.body).toMatchObject({
        model: 'claude-sonnet-4-5',
        max_tokens: 1234,
        stream: true,
        system: [{ type: 'text', cache_control: { type: 'ephemeral' } }],
      });
      const messages = (second?.body as { messages: { role: string; content: Record<string, unknown>[] }[] })
        .messages;
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
      const thinking = messages[1]?.content[0];
      expect(thinking).toMatchObject({ type: 'thinking', thinking: 'List first.' });
      expect(typeof thinking?.signature).toBe('string');
      expect(messages[1]?.content[1]).toMatchObject({ type: 'tool_use', name: 'list_files' });
      expect(messages[2]?.content.at(-1)).toMatchObject({
        type: 'tool_result',
        cache_control: { type: 'ephemeral' },
      });
    } finally {
      await server.close();
    }
  });
});
