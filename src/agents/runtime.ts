// The AgentRuntime contract (DESIGN §6): a runtime starts a session in a worktree and yields typed
// events; it accepts nudges and can be stopped. It never runs a tool by itself without asking the
// gateway, which applies the policy, waits for approvals, runs the call in the sandbox and records
// it. Every runtime passes the one contract suite in test/agents/.

/** A tool call as an agent asks for it. */
export interface ToolRequest {
  /** Unique within the session. */
  callId: string;
  /** `run`, `read`, `write`, `edit`, `search`, `network`, … */
  tool: string;
  command?: string;
  path?: string;
  /** Content for write/edit tools. */
  content?: string;
}

export type ToolStatus = 'ok' | 'error' | 'denied';

export interface ToolOutcome {
  callId: string;
  status: ToolStatus;
  /** The policy's decision and the rule that made it. */
  decision: 'allow' | 'deny' | 'ask';
  rule: string;
  reason: string;
  exitCode?: number;
  output: string;
}

/** What a session may use to act on the world; every call passes policy, approvals and sandbox. */
export interface ToolGateway {
  call(request: ToolRequest): Promise<ToolOutcome>;
}

export type AgentEvent =
  | { type: 'message'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool_call'; request: ToolRequest }
  | { type: 'tool_result'; outcome: ToolOutcome }
  | { type: 'usage'; inputTokens: number; outputTokens: number; costUsd: number }
  | { type: 'done'; outcome: 'success' | 'failure'; summary: string }
  | { type: 'error'; message: string };

export interface SessionTask {
  beadId: string;
  title: string;
  description?: string;
  /** Shell steps for the script runtime (kept in the bead's metadata). */
  steps: string[];
}

export interface SessionStart {
  sessionId: string;
  worktree: string;
  task: SessionTask;
  tools: ToolGateway;
}

export interface AgentSession {
  /** Typed events until the session ends; the last one is `done` or `error`. */
  readonly events: AsyncIterable<AgentEvent>;
  /** A structured message to the agent ("you seem stuck; …"). */
  nudge(text: string): Promise<void>;
  /** Ends the session; the event stream finishes after the current step. */
  stop(reason: string): Promise<void>;
}

export interface AgentRuntime {
  readonly name: string;
  start(start: SessionStart): AgentSession;
}
