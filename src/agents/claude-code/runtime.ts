// The `claude-code` runtime: Claude Code itself runs the agent loop and its own tools, and Gas Town
// governs it from the outside: every tool call passes the pre-tool hook (policy, approvals, ledger)
// and, wherever bubblewrap works, the whole process runs in the sandbox. See session.ts.
import type { AgentRuntime, AgentSession, SessionStart } from '../runtime.js';
import { startClaudeSession } from './session.js';
import type { ClaudeSessionOptions } from './session.js';

export class ClaudeCodeRuntime implements AgentRuntime {
  readonly name = 'claude-code';

  constructor(private readonly options: ClaudeSessionOptions = {}) {}

  start(start: SessionStart): AgentSession {
    return startClaudeSession(start, this.options);
  }
}
