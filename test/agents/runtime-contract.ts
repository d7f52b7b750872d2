// The contract every AgentRuntime passes: its events end with exactly one `done` (or `error`), every
// action goes through the gateway it was given, a denied call ends the session as a failure, and
// stop() and nudge() are honoured. Each runtime's test file calls `agentRuntimeContract` with a
// factory and a way to turn a goal ("write a file") into a task that runtime understands.
import { describe, expect, it } from 'vitest';
import type {
  AgentConfig,
  AgentEvent,
  AgentRuntime,
  AgentSession,
  SessionTask,
  ToolGateway,
  ToolOutcome,
  ToolRequest,
} from '../../src/agents/index.js';

export interface ContractGoal {
  /** Shell commands that achieve the goal, in order. */
  commands: string[];
}

export interface RuntimeHarness {
  runtime: () => AgentRuntime;
  /** The task for a goal; model runtimes also script their model server here. */
  task: (goal: ContractGoal) => SessionTask | Promise<SessionTask>;
  /** The agent's settings (model endpoint…); empty by default. */
  config?: () => AgentConfig;
}

/** A gateway of our own that records calls and answers from a rule, so the contract sees the traffic. */
export function recordingGateway(
  answer: (request: ToolRequest) => Partial<ToolOutcome> = () => ({}),
): ToolGateway & { calls: ToolRequest[] } {
  const calls: ToolRequest[] = [];
  return {
    calls,
    authorize: async (request) => {
      calls.push(request);
      await new Promise((resolve) => setImmediate(resolve));
      const given = answer(request);
      return {
        callId: request.callId,
        decision: given.status === 'denied' ? 'deny' : 'allow',
        policyDecision: given.decision ?? 'allow',
        rule: given.rule ?? 'test',
        reason: given.reason ?? 'test',
      };
    },
    report: () => undefined,
    call: async (request) => {
      calls.push(request);
      // Answer on a later turn, as a real gateway (policy, sandbox) does.
      await new Promise((resolve) => setImmediate(resolve));
      return {
        callId: request.callId,
        status: 'ok',
        decision: 'allow',
        rule: 'test',
        reason: 'test',
        output: '',
        exitCode: 0,
        ...answer(request),
      };
    },
  };
}

async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const out: AgentEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

export function agentRuntimeContract(name: string, harness: RuntimeHarness): void {
  describe(`${name}: agent runtime contract`, () => {
    const start = async (goal: ContractGoal, tools: ToolGateway) =>
      harness.runtime().start({
        sessionId: 'ses-contract',
        worktree: '/nonexistent',
        task: await harness.task(goal),
        tools,
        config: harness.config?.() ?? {},
        env: {},
      });

    it('acts only through the gateway and ends with one successful done', async () => {
      const tools = recordingGateway();
      const events = await collect(
        (await start({ commands: ['echo one > a.txt', 'echo two > b.txt'] }, tools)).events,
      );
      expect(tools.calls.map((c) => c.command)).toEqual(['echo one > a.txt', 'echo two > b.txt']);
      const ends = events.filter((e) => e.type === 'done' || e.type === 'error');
      expect(ends).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({ type: 'done', outcome: 'success' });
      const results = events.filter((e) => e.type === 'tool_result');
      expect(results).toHaveLength(2);
    });

    it('ends as a failure when the gateway denies a call, and calls nothing more', async () => {
      const tools = recordingGateway((r) =>
        r.command?.includes('sudo') ? { status: 'denied', decision: 'deny', rule: 'builtin:no-sudo' } : {},
      );
      const events = await collect(
        (await start({ commands: ['sudo make install', 'echo after'] }, tools)).events,
      );
      expect(tools.calls).toHaveLength(1);
      const done = events.at(-1);
      expect(done).toMatchObject({ type: 'done', outcome: 'failure' });
      expect(JSON.stringify(done)).toContain('builtin:no-sudo');
    });

    it('stops when asked, before its next action', async () => {
      const box: { session?: AgentSession } = {};
      const tools = recordingGateway(() => {
        void box.session?.stop('overseer pressed stop');
        return {};
      });
      box.session = await start({ commands: ['echo 1', 'echo 2', 'echo 3'] }, tools);
      const events = await collect(box.session.events);
      expect(tools.calls).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({ type: 'done', outcome: 'failure' });
      expect(JSON.stringify(events.at(-1))).toContain('overseer pressed stop');
    });

    it('accepts a nudge while working', async () => {
      const box: { session?: AgentSession } = {};
      const tools = recordingGateway(() => {
        void box.session?.nudge('you have 5 minutes left');
        return {};
      });
      box.session = await start({ commands: ['echo 1', 'echo 2'] }, tools);
      const events = await collect(box.session.events);
      expect(events.at(-1)).toMatchObject({ type: 'done', outcome: 'success' });
      expect(JSON.stringify(events)).toContain('you have 5 minutes left');
    });
  });
}
