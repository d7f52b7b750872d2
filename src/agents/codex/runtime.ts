// The `codex` runtime: OpenAI's Codex CLI (`codex exec --json`) as a polecat, governed by our
// PreToolUse hook and an audit of its JSONL (see governor.ts), with Codex's own `workspace-write`
// sandbox around the commands it runs. Model endpoint, key variable and model come from
// `town.yaml` `agents.codex` or OPENAI_BASE_URL / OPENAI_API_KEY; see docs/agents-codex.md.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EventQueue } from '../event-queue.js';
import type { AgentEvent, AgentRuntime, AgentSession, SessionStart } from '../runtime.js';
import { codexHomeOf, providerOf, resolveCodex } from './command.js';
import { installHook } from './hook-server.js';
import { runCodexSession } from './session.js';

export class CodexRuntime implements AgentRuntime {
  readonly name = 'codex';

  start(start: SessionStart): AgentSession {
    const queue = new EventQueue<AgentEvent>();
    let session: AgentSession | undefined;
    let stopped: string | undefined;
    const pending: string[] = [];
    const launch = async () => {
      const file = resolveCodex(start.config, start.env, start.worktree);
      const town = start.env['GT_TOWN'];
      // Never the Overseer's own ~/.codex: we write our hook into this one.
      const codexHome =
        town === undefined ? join(homedir(), '.gastown', 'codex') : codexHomeOf(town, start.env);
      const hookScript = await installHook(codexHome);
      return {
        file,
        codexHome,
        hookScript,
        provider: providerOf(start.config, start.env),
        sandbox: 'workspace-write' as const,
      };
    };
    void launch().then(
      (settings) => {
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
