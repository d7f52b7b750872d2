// The `codex` runtime: OpenAI's Codex CLI (`codex exec --json`) as a polecat, governed by our
// PreToolUse hook and an audit of its JSONL (see governor.ts), the whole Codex process inside our
// bubblewrap sandbox with Codex's own sandbox off (launch.ts). Model endpoint, key variable and
// model come from `town.yaml` `agents.codex` or OPENAI_BASE_URL / OPENAI_API_KEY; see
// docs/agents-codex.md.
import type { SandboxAvailability } from '../../sandbox/index.js';
import { EventQueue } from '../event-queue.js';
import type { AgentEvent, AgentRuntime, AgentSession, SessionStart } from '../runtime.js';
import { providerOf, resolveCodex } from './command.js';
import { prepareCodexLaunch } from './launch.js';
import { runCodexSession } from './session.js';

export interface CodexRuntimeOptions {
  /** Whether bubblewrap works here (default: the sandbox's own cached probe). */
  availability?: () => SandboxAvailability;
}

export class CodexRuntime implements AgentRuntime {
  readonly name = 'codex';

  constructor(private readonly options: CodexRuntimeOptions = {}) {}

  start(start: SessionStart): AgentSession {
    const queue = new EventQueue<AgentEvent>();
    let session: AgentSession | undefined;
    let stopped: string | undefined;
    const pending: string[] = [];
    const launch = async () => {
      const file = resolveCodex(start.config, start.env, start.worktree);
      const provider = providerOf(start.config, start.env);
      const key = provider.apiKeyEnv === undefined ? undefined : start.env[provider.apiKeyEnv];
      const { availability } = this.options;
      return prepareCodexLaunch({ start, file, provider, key, ...(availability ? { availability } : {}) });
    };
    void launch().then(
      (settings) => {
        for (const text of settings.notes) queue.push({ type: 'message', text });
        session = runCodexSession(start, settings, queue);
        for (const text of pending.splice(0)) void session.nudge(text);
        if (stopped !== undefined) void session.stop(stopped);
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        queue.push({ type: 'done', outcome: 'failure', summary: message });
        queue.close();
      },
    );
    return {
      events: queue,
      nudge: async (text) => {
        if (session) await session.nudge(text);
        else pending.push(text);
      },
      stop: async (reason) => {
        stopped ??= reason;
        if (session) await session.stop(reason);
      },
    };
  }
}
