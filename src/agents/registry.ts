// Runtimes by name, as `--agent` and `default_agent` name them.
import { invalidInput } from '../errors.js';
import type { AgentRuntime } from './runtime.js';
import { ScriptRuntime } from './script.js';
import { AnthropicRuntime } from './anthropic.js';
import { OpenAiRuntime } from './openai.js';
import { CodexRuntime } from './codex/runtime.js';
import { ClaudeCodeRuntime } from './claude-code/runtime.js';

const factories: Record<string, () => AgentRuntime> = {
  script: () => new ScriptRuntime(),
  // Our own tool loop against a model endpoint; town.yaml's settings arrive in SessionStart.config.
  openai: () => new OpenAiRuntime(),
  anthropic: () => new AnthropicRuntime(),
  // OpenAI's Codex CLI, governed by its PreToolUse hook and an audit of its JSONL.
  codex: () => new CodexRuntime(),
  // Claude Code, governed by its hooks (gt hook → the session's gateway), inside the sandbox.
  'claude-code': () => new ClaudeCodeRuntime(),
};

export const runtimeNames = (): string[] => Object.keys(factories);

export function runtimeFor(name: string): AgentRuntime {
  const make = factories[name];
  if (!make) {
    throw invalidInput(`--agent: no runtime named ${name} (available: ${runtimeNames().join(', ')})`);
  }
  return make();
}
