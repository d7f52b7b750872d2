// The cases both model runtimes (openai, anthropic) pass against the scripted model server over
// real HTTP: the runtime contract (the server plays a model that runs the goal's commands one per
// turn), then streaming, usage, retries, errors, cancellation, context trimming, denials and
// nudges. The key is a made-up secret that must never show in an event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentEvent,
  AgentRuntime,
  AgentSession,
  ModelRuntimeOptions,
  ToolGateway,
} from '../../src/agents/index.js';
import type { ModelServer, RecordedRequest, ScriptedTurn } from '../support/model-server.js';
import { startModelServer } from '../support/model-server.js';
import type { ContractGoal } from './runtime-contract.js';
import { agentRuntimeContract, recordingGateway } from './runtime-contract.js';

export interface ModelRuntimeSpec {
  name: 'openai' | 'anthropic';
  api: 'anthropic' | 'chat';
  make: (options?: ModelRuntimeOptions) => AgentRuntime;
  /** The base URL to give the runtime for a server at `url`. */
  baseUrl: (url: string) => string;
  /** The key's default variable and how the request carries it. */
  defaultKeyEnv: string;
  keyHeader: (key: string) => [string, string];
}

const key = 'sk-test-0123456789-never-show-me';
const fast: ModelRuntimeOptions = { retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 } };

/** The tool results a request carries, oldest first, as the model would read them. */
export function toolResultsOf(request: RecordedRequest): string[] {
  const body = request.body as { messages?: { role: string; content: unknown }[] };
  const out: string[] = [];
  for (const message of body.messages ?? []) {
    if (message.role === 'tool' && typeof message.content === 'string') out.push(message.content);
    if (message.role === 'user' && Array.isArray(message.content)) {
      for (const block of message.content as { type: string; content?: unknown }[]) {
        if (block.type === 'tool_result') out.push(JSON.stringify(block));
      }
    }
  }
  return out;
}

/** A model that runs the goal's commands one per turn, then answers; it gives up when told to. */
function playGoal(goal: ContractGoal, request: RecordedRequest): ScriptedTurn {
  const results = toolResultsOf(request);
  if (goal.giveUpWhenDenied && results.at(-1)?.includes('denied by')) {
    return { toolCalls: [{ name: 'give_up', input: { reason: goal.giveUpWhenDenied } }] };
  }
  const command = goal.commands[results.length];
  if (command === undefined) return { text: 'The goal is done.' };
  return { text: `Next: ${command}`, toolCalls: [{ name: 'run_command', input: { command } }] };
}

async function collect(session: AgentSession): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of session.events) events.push(event);
  expect(JSON.stringify(events)).not.toContain(key);
  return events;
}

export function modelRuntimeCases(spec: ModelRuntimeSpec): void {
  let contractServer: ModelServer;
  let goal: ContractGoal | undefined;
  let since = 0;
  beforeAll(async () => {
    contractServer = await startModelServer({
      answer: (request) => (goal && request.api === spec.api ? playGoal(goal, request) : undefined),
    });
  });
  afterAll(() => contractServer.close());

  agentRuntimeContract(spec.name, {
    runtime: () => spec.make(fast),
    task: (next) => {
      goal = next;
      since = contractServer.requests.length;
      return { beadId: 'gt-contract', title: 'contract goal', steps: [] };
    },
    config: () => ({ baseUrl: spec.baseUrl(contractServer.url) }),
    transcript: () => JSON.stringify(contractServer.requests.slice(since).map((r) => r.body)),
  });

  describe(`${spec.name} runtime against the scripted model server`, () => {
    let server: ModelServer;
    beforeAll(async () => {
      server = await startModelServer();
    });
    afterAll(() => server.close());
    const generations = () => server.requests.filter((r) => r.api === spec.api);

    const start = (
      turns: ScriptedTurn[],
      options: { tools?: ToolGateway; runtime?: ModelRuntimeOptions; contextTokens?: number } = {},
    ): AgentSession => {
      server.requests.length = 0;
      server.push(...turns);
      return spec.make(options.runtime ?? fast).start({
        sessionId: 'ses-model',
        worktree: '/work/tree',
        task: { beadId: 'gt-abc', title: 'Add a greeting', description: 'Write hello.txt', steps: [] },
        tools: options.tools ?? recordingGateway(),
        config: {
          baseUrl: spec.baseUrl(server.url),
          apiKeyEnv: 'GT_TEST_MODEL_KEY',
          model: 'test-model',
          ...(options.contextTokens === undefined ? {} : { contextTokens: options.contextTokens }),
        },
        env: { GT_TEST_MODEL_KEY: key },
      });
    };

    it('streams thinking, text and tool calls, runs the call through the gateway, and ends with the final text', async () => {
      const tools = recordingGateway();
      const events = await collect(
        start(
          [
            {
              thinking: 'The bead wants hello.txt.',
              text: 'Writing the file.',
              toolCalls: [{ name: 'write_file', input: { path: 'hello.txt', content: 'hello\n' } }],
            },
            { text: 'Wrote hello.txt with a greeting.' },
          ],
          { tools },
        ),
      );
      expect(tools.calls).toMatchObject([
        { tool: 'write', path: 'hello.txt', content: 'hello\n', agentTool: 'write_file' },
      ]);
      expect(events).toContainEqual({ type: 'reasoning', text: 'The bead wants hello.txt.' });
      expect(events).toContainEqual({ type: 'message', text: 'Writing the file.' });
      expect(events.filter((e) => e.type === 'tool_result')).toHaveLength(1);
      expect(events.at(-1)).toEqual({
        type: 'done',
        outcome: 'success',
        summary: 'Wrote hello.txt with a greeting.',
      });
      const [first, second] = generations();
      expect(first?.stream).toBe(true);
      const system = JSON.stringify(first?.body);
      expect(system).toContain('gt-abc');
      expect(system).toContain('/work/tree');
      expect(system).toContain('run_command');
      // The second call carries the assistant's turn and the tool's result.
      expect(toolResultsOf(second!)).toHaveLength(1);
      expect(JSON.stringify(second?.body)).toContain('Writing the file.');
    });

    it('sends the key the provider way and reports usage per model call with the model', async () => {
      const events = await collect(
        start([
          {
            toolCalls: [{ name: 'run_command', input: { command: 'true' } }],
            usage: { input: 120, output: 30, cacheRead: 40 },
          },
          { text: 'ok', usage: { input: 200, output: 5 } },
        ]),
      );
      const [header, value] = spec.keyHeader(key);
      for (const request of generations()) expect(request.headers[header]).toBe(value);
      expect(events.filter((e) => e.type === 'usage')).toEqual([
        { type: 'usage', model: 'test-model', inputTokens: 120, outputTokens: 30, cacheReadTokens: 40 },
        { type: 'usage', model: 'test-model', inputTokens: 200, outputTokens: 5 },
      ]);
    });

    it('reads the key from its default variable, and sends none when there is none', async () => {
      const runtime = spec.make(fast);
      const run = (env: Record<string, string>) => {
        server.requests.length = 0;
        server.push({ text: 'ok' });
        return runtime.start({
          sessionId: 's',
          worktree: '/w',
          task: { beadId: 'gt-k', title: 'k', steps: [] },
          tools: recordingGateway(),
          config: { baseUrl: spec.baseUrl(server.url) },
          env,
        });
      };
      const [header, value] = spec.keyHeader(key);
      await collect(run({ [spec.defaultKeyEnv]: key }));
      expect(generations()[0]?.headers[header]).toBe(value);
      await collect(run({}));
      expect(generations()[0]?.headers[header]).toBeUndefined();
    });

    it('retries a 429 as the retry-after header says, then carries on', async () => {
      // The backoff alone would wait ten minutes: only honouring `retry-after: 0` finishes in time.
      const runtime = { retry: { baseDelayMs: 600_000, maxDelayMs: 600_000, maxAttempts: 3 } };
      const events = await collect(
        start([{ error: { status: 429, message: 'slow down', retryAfterSeconds: 0 } }, { text: 'made it' }], {
          runtime,
        }),
      );
      expect(events.at(-1)).toMatchObject({ type: 'done', outcome: 'success', summary: 'made it' });
      expect(generations()).toHaveLength(2);
      expect(events.filter((e) => e.type === 'usage')).toHaveLength(1);
    });

    it('gives up after the last attempt at a 500 with an error naming the endpoint and status', async () => {
      const failing = { error: { status: 500, message: 'upstream exploded' } };
      const events = await collect(start([failing, failing, failing]));
      expect(generations()).toHaveLength(3);
      const last = events.at(-1);
      expect(last?.type).toBe('error');
      const message = last?.type === 'error' ? last.message : '';
      expect(message).toContain('gave up after 3 attempts');
      expect(message).toContain(`${server.url}/v1/`);
      expect(message).toContain('500');
      expect(message).toContain('upstream exploded');
      expect(server.remaining()).toBe(0);
    });

    it('names the variable whose key was refused, and never the key, even when the server echoes it', async () => {
      const events = await collect(
        start([{ error: { status: 401, message: `Incorrect API key provided: ${key}` } }]),
      );
      const last = events.at(-1);
      expect(last?.type).toBe('error');
      const message = last?.type === 'error' ? last.message : '';
      expect(message).toContain(`the key in $GT_TEST_MODEL_KEY was refused by ${server.url}/v1/`);
      expect(message).toContain('[redacted]');
      expect(generations()).toHaveLength(1);
    });

    it('stop() aborts the request in flight and ends with a failure naming the reason', async () => {
      const session = start([{ delayMs: 60_000, text: 'too late' }]);
      const events = collect(session);
      await server.waitForRequest((r) => r.api === spec.api);
      await session.stop('overseer pressed stop');
      const all = await events;
      expect(all.at(-1)).toEqual({
        type: 'done',
        outcome: 'failure',
        summary: 'stopped: overseer pressed stop',
      });
      expect(all.filter((e) => e.type === 'done' || e.type === 'error')).toHaveLength(1);
    });

    it('tells the model a denied call was denied and by which rule, and lets it carry on', async () => {
      const tools = recordingGateway((r) =>
        r.command?.startsWith('sudo')
          ? { status: 'denied', decision: 'deny', rule: 'builtin:no-sudo', reason: 'sudo is never allowed' }
          : { output: 'installed locally' },
      );
      const events = await collect(
        start(
          [
            { toolCalls: [{ name: 'run_command', input: { command: 'sudo make install' } }] },
            { toolCalls: [{ name: 'run_command', input: { command: 'make install PREFIX=.' } }] },
            { text: 'Installed under the worktree instead.' },
          ],
          { tools },
        ),
      );
      expect(tools.calls.map((c) => c.command)).toEqual(['sudo make install', 'make install PREFIX=.']);
      const told = toolResultsOf(generations()[1]!)[0] ?? '';
      expect(told).toContain('denied by builtin:no-sudo: sudo is never allowed');
      expect(told).toMatch(spec.api === 'anthropic' ? /"is_error":true/ : /^\[error\]/);
      expect(events.at(-1)).toMatchObject({ type: 'done', outcome: 'success' });
    });

    it('delivers a nudge as a user message before the next model call', async () => {
      const box: { session?: AgentSession } = {};
      const tools = recordingGateway(() => {
        void box.session?.nudge('please also update the README');
        return {};
      });
      box.session = start(
        [{ toolCalls: [{ name: 'run_command', input: { command: 'ls' } }] }, { text: 'done' }],
        { tools },
      );
      const events = await collect(box.session);
      expect(events).toContainEqual({
        type: 'message',
        text: 'nudge delivered: please also update the README',
      });
      const last = JSON.stringify(generations()[1]?.body);
      expect(last).toContain('please also update the README');
    });

    it('answers unknown tools and unreadable arguments with an error result instead of guessing', async () => {
      const tools = recordingGateway();
      await collect(
        start(
          [
            { toolCalls: [{ name: 'delete_everything', input: {} }] },
            { toolCalls: [{ name: 'write_file', input: { path: 'x.txt' } }] },
            { text: 'ok' },
          ],
          { tools },
        ),
      );
      expect(tools.calls).toHaveLength(0);
      expect(toolResultsOf(generations()[1]!)[0]).toContain('there is no tool named delete_everything');
      expect(toolResultsOf(generations()[2]!)[1]).toContain('bad arguments for write_file');
    });

    it('keeps the conversation within the context window by shortening old tool results', async () => {
      const big = 'x'.repeat(4000);
      const tools = recordingGateway(() => ({ output: big }));
      const call = (n: number): ScriptedTurn => ({
        toolCalls: [{ name: 'run_command', input: { command: `cat part${n}.log` } }],
      });
      const events = await collect(
        start([call(1), call(2), call(3), call(4), call(5), { text: 'read them all' }], {
          tools,
          contextTokens: 4000,
        }),
      );
      expect(events.at(-1)).toMatchObject({ type: 'done', outcome: 'success' });
      expect(events.some((e) => e.type === 'message' && e.text.startsWith('context: shortened'))).toBe(true);
      const last = generations().at(-1)!;
      const results = toolResultsOf(last);
      expect(results).toHaveLength(5);
      // The oldest results are stubs, the newest whole; the task is still the first message.
      expect(results[0]).toContain("trimmed to keep the conversation within the model's context");
      expect(results.at(-1)).toContain(big);
      expect(JSON.stringify(last.body).length / 4).toBeLessThan(4000);
      expect(JSON.stringify(last.body)).toContain('Start on bead gt-abc');
    });
  });
}
