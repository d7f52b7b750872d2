// Agent runtimes: the AgentRuntime contract and its implementations. Rules: a runtime never acts
// on the world except through the ToolGateway it is given; it knows nothing of beads storage, the
// ledger or the terminal.
export type {
  AgentConfig,
  AgentEvent,
  AgentRuntime,
  AgentSession,
  SessionContextRig,
  SessionStart,
  SessionTask,
  ToolGateway,
  ToolOutcome,
  ToolRequest,
  ToolReport,
  ToolStatus,
  ToolVerdict,
} from './runtime.js';
export { ScriptRuntime } from './script.js';
export { OpenAiRuntime } from './openai.js';
export { AnthropicRuntime } from './anthropic.js';
export type { ModelRuntimeOptions } from './model/session.js';
export { CodexRuntime } from './codex/runtime.js';
export { ClaudeCodeRuntime } from './claude-code/index.js';
export type { ClaudeSessionOptions } from './claude-code/index.js';
export { EventQueue } from './event-queue.js';
export { contextRigsText } from './context-prompt.js';
export { runtimeFor, runtimeNames } from './registry.js';
