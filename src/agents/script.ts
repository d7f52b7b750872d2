// The `script` runtime, the embedded default that needs no model: the bead carries shell steps and
// each one is a `run` tool call through the gateway (policy, approvals, sandbox, ledger). The first
// step that fails or is denied ends the session as a failure with that step's output.
import type { AgentEvent, AgentRuntime, AgentSession, SessionStart } from './runtime.js';
import { EventQueue } from './event-queue.js';
import { contextRigsText } from './context-prompt.js';

export class ScriptRuntime implements AgentRuntime {
  readonly name = 'script';

  start(start: SessionStart): AgentSession {
    const queue = new EventQueue<AgentEvent>();
    let stopped: string | undefined;
    const nudges: string[] = [];
    const run = async (): Promise<void> => {
      const { steps } = start.task;
      if (steps.length === 0) {
        queue.push({
          type: 'done',
          outcome: 'failure',
          summary: `bead ${start.task.beadId} has no steps to run`,
        });
        return;
      }
      queue.push({ type: 'message', text: `running ${steps.length} step(s) for ${start.task.beadId}` });
      // No model reads a prompt here; the session still says which context rigs its steps may read.
      const context = contextRigsText(start.contextRigs);
      if (context !== undefined) queue.push({ type: 'message', text: context });
      for (const [index, command] of steps.entries()) {
        if (stopped !== undefined) {
          queue.push({
            type: 'done',
            outcome: 'failure',
            summary: `stopped before step ${index + 1}: ${stopped}`,
          });
          return;
        }
        for (const text of nudges.splice(0)) queue.push({ type: 'message', text: `nudge received: ${text}` });
        const request = { callId: `step-${index + 1}`, tool: 'run', command };
        queue.push({ type: 'tool_call', request });
        // Let the session record what was said before the gateway records the call.
        await new Promise((resolve) => setImmediate(resolve));
        const outcome = await start.tools.call(request);
        queue.push({ type: 'tool_result', outcome });
        if (outcome.status !== 'ok') {
          const why =
            outcome.status === 'denied'
              ? `denied by ${outcome.rule}: ${outcome.reason}`
              : `exit ${outcome.exitCode ?? '?'}`;
          queue.push({
            type: 'done',
            outcome: 'failure',
            summary: `step ${index + 1} (${command}) failed: ${why}`,
          });
          return;
        }
      }
      queue.push({ type: 'done', outcome: 'success', summary: `all ${steps.length} step(s) succeeded` });
    };
    run()
      .catch((error: unknown) =>
        queue.push({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => queue.close());
    return {
      events: queue,
      nudge: (text) => {
        nudges.push(text);
        return Promise.resolve();
      },
      stop: (reason) => {
        stopped = reason;
        return Promise.resolve();
      },
    };
  }
}
