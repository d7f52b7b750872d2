// The contract every AgentRuntime passes: its events end with exactly one `done` (or `error`), every
// action goes through the gateway it was given, a denied call never runs and the agent hears the
// rule (giving up there ends the session as a failure naming it), and stop() and nudge() are
// honoured. Each runtime's test file calls `agentRuntimeContract` with a factory and a way to turn a
// goal ("write a file") into a task that runtime understands.
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
  /**
   * The agent gives up, with this reason, as soon as a call is denied. Model harnesses script it
   * (a model that is told "denied by builtin:…" may otherwise try another way); the script runtime
   * stops at the first denial anyway.
   */
  giveUpWhenDenied?: string;
}

export interface RuntimeHarness {
  runtime: () => AgentRuntime;
  /** The task for a goal; model runtimes also script their model server here. */
  task: (goal: ContractGoal) => SessionTask | Promise<SessionTask>;
  /** The agent's settings (model endpoint…); empty by default. */
  config?: () => AgentConfig;
  /** Everything the agent's model was sent so far (model runtimes), to check what it was told. */
  transcript?: () => string;
  /**
   * Where each session runs: a real worktree and the env an agent CLI needs (GT_TOWN, its model
   * endpoint…). Without it the session gets `/nonexistent` and no env, which only runtimes that
   * never touch the disk themselves (script, openai, anthropic: the gateway acts for them) accept.
   */
  place?: () => Promise<{ worktree: string; env: Record<string, string> }>;
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
    const start = async (goal: ContractGoal, tools: ToolGateway) => {
      const { worktree, env } = (await harness.place?.()) ?? { worktree: '/nonexistent', env: {} };
      return harness.runtime().start({
        sessionId: 'ses-contract',
        worktree,
        task: await harness.task(goal),
        tools,
        config: harness.config?.() ?? {},
        env,
      });
    };

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

    // A denied call never runs; the agent is told the rule; an agent that gives up there ends the
    // session as a failure naming the rule. (This used to say "a denial ends the session": right for
    // the script runtime, but a model told "denied by builtin:no-sudo" may rightly try another way,
    // which the model runtimes' own tests cover. Here the agent is scripted to give up.)
    it('a denied call never runs, the agent hears the rule, and giving up ends in a failure naming it', async () => {
      const tools = recordingGateway((r) =>
        r.command?.includes('sudo') ? { status: 'denied', decision: 'deny', rule: 'builtin:no-sudo' } : {},
      );
      const goal = { commands: ['sudo make install', 'echo after'], giveUpWhenDenied: 'sudo is not allowed' };
      const events = await collect((await start(goal, tools)).events);
      expect(tools.calls).toHaveLength(1);
      const done = events.at(-1);
      expect(done).toMatchObject({ type: 'done', outcome: 'failure' });
      expect(JSON.stringify(done)).toContain('builtin:no-sudo');
      if (harness.transcript) expect(harness.transcript()).toContain('builtin:no-sudo');
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
