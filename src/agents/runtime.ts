// The AgentRuntime contract (DESIGN §6): a runtime starts a session in a worktree and yields typed
// events; it accepts nudges and can be stopped. It never runs a tool by itself without asking the
// gateway, which applies the policy, waits for approvals, runs the call in the sandbox and records
// it. Every runtime passes the one contract suite in test/agents/.

/** A tool call as an agent asks for it. */
export interface ToolRequest {
  /** Unique within the session. */
  callId: string;
  /** `run`, `read`, `write`, `edit`, `list`, `search`, `network`, … (the policy's vocabulary). */
  tool: string;
  command?: string;
  path?: string;
  /** Content for the write tool. */
  content?: string;
  /** The edit tool replaces `oldText` (which must occur exactly once) with `newText`. */
  oldText?: string;
  newText?: string;
  /** The search tool's pattern (a fixed string or regular expression, as the tool says). */
  pattern?: string;
  /** The read tool's line range, 1-based and inclusive (either end may be left open). */
  startLine?: number;
  endLine?: number;
  /** The `network` tool (the egress gate): the destination, and whether it is a private address. */
  host?: string;
  port?: number;
  privateAddress?: boolean;
  /** The agent's own name for the tool and its raw input, when it has its own tools (Claude Code). */
  agentTool?: string;
  input?: Record<string, unknown>;
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

/** The gateway's answer to a call it was asked to authorize only. */
export interface ToolVerdict {
  callId: string;
  decision: 'allow' | 'deny';
  /** What the policy said before any approval (`ask` became allow or deny by the Overseer). */
  policyDecision: 'allow' | 'deny' | 'ask';
  rule: string;
  reason: string;
}

/** The result of a call the agent ran itself, after `authorize` let it through. */
export interface ToolReport {
  callId: string;
  status: ToolStatus;
  output: string;
  exitCode?: number;
}

/** What a session may use to act on the world; every call passes policy, approvals and sandbox. */
export interface ToolGateway {
  /** Decides, runs (in the sandbox) and records the call. */
  call(request: ToolRequest): Promise<ToolOutcome>;
  /**
   * Decides and records the call without running it, for agents that run their own tools behind a
   * pre-tool hook (Claude Code). Waits for the Overseer when the policy asks.
   */
  authorize(request: ToolRequest): Promise<ToolVerdict>;
  /** Records what an authorized call did (the post-tool hook). */
  report(result: ToolReport): void;
  /**
   * Appends an event of the session to the ledger: the egress gate's `network.connect` and
   * `model.request`. Gateways without a ledger leave it out.
   */
  record?(kind: string, payload: Record<string, unknown>): void;
  /**
   * Why a model call must stop now, counting the tokens it has reported while streaming (a spent
   * token or USD budget); the egress gate asks before each call and as its reply streams.
   */
  modelBudget?(inFlightTokens: number): string | undefined;
}

export type AgentEvent =
  | { type: 'message'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool_call'; request: ToolRequest }
  | { type: 'tool_result'; outcome: ToolOutcome }
  | {
      type: 'usage';
      /** The model that spent the tokens, for the price table. */
      model?: string;
      inputTokens: number;
      outputTokens: number;
      cacheReadTokens?: number;
      cacheWriteTokens?: number;
      /** What the agent itself says the call cost; when absent the price table prices the tokens. */
      costUsd?: number;
    }
  /** The agent's own id for its conversation, kept so a later session can resume it. */
  | { type: 'agent_session'; id: string }
  | { type: 'done'; outcome: 'success' | 'failure'; summary: string }
  | { type: 'error'; message: string };

export interface SessionTask {
  beadId: string;
  title: string;
  description?: string;
  /** Shell steps for the script runtime (kept in the bead's metadata). */
  steps: string[];
}

/**
 * Another rig the bead's work reads (`context_rigs`): a checkout of its target branch's head, shown
 * read-only to the session (the sandbox mounts it; the policy lets file tools read, never write it).
 */
export interface SessionContextRig {
  name: string;
  /** Where the agent sees it: `<dirname(worktree)>/.context/<name>` in the sandbox, else `source`. */
  path: string;
  /** The read-only checkout on the host that the sandbox mounts at `path`. */
  source: string;
  /** The rig's target branch and the full sha of the commit checked out. */
  branch: string;
  head: string;
  /** Set when the checkout may be stale (the rig's remote could not be fetched). */
  note?: string;
}

/** `town.yaml` `agents.<name>`: how to reach the agent or its model. */
export interface AgentConfig {
  /** The executable (claude-code, codex); found on PATH when unset. */
  command?: string;
  /** Extra arguments after ours. */
  args?: string[];
  model?: string;
  /** The model endpoint (openai, anthropic; codex and claude-code read it from the environment too). */
  baseUrl?: string;
  /** The environment variable holding the API key (its value never reaches the ledger). */
  apiKeyEnv?: string;
  /** The model's context window in tokens; the loop keeps the conversation within it. */
  contextTokens?: number;
  /** Output tokens per model call. */
  maxOutputTokens?: number;
}

export interface SessionStart {
  sessionId: string;
  worktree: string;
  task: SessionTask;
  tools: ToolGateway;
  /** The agent's settings from `town.yaml` (empty for script). */
  config: AgentConfig;
  /**
   * The environment for the agent process: the town's (`GT_TOWN`, `GT_SESSION`, `BEADS_DIR`…), a
   * PATH whose first entry holds `gt` and the `bd` shim, and the provider keys it may use.
   */
  env: Record<string, string>;
  /** The agent's own conversation id from an earlier session of the bead (handoff, crash). */
  resume?: string;
  /**
   * `policy.yaml` `sandbox:`. Runtimes that run a whole agent process (claude-code, codex) box it
   * in bubblewrap unless this is `none`.
   */
  sandbox?: 'bubblewrap' | 'none';
  /** Mail and context the session starts with (the hook's instructions come from `task`). */
  preamble?: string;
  /** Other rigs to read, mounted read-only; every runtime names them in its prompt. */
  contextRigs?: SessionContextRig[];
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
