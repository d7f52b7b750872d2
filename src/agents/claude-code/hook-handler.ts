// The session's answers to Claude Code's hooks: before a tool runs, the gateway decides (policy,
// approvals, ledger) and the hook prints allow or deny with the rule; after it ran, the gateway
// records its result. The session may refuse everything once it is stopping. A Bash call of
// `gt-give-up "<why>"` is how Claude gives up (the model runtimes' `give_up` tool, Codex's same
// command): it never reaches the gateway or runs, and the session ends as a failure with the reason
// and the last denied call's rule.
import { giveUpCommand, giveUpReason } from '../codex/governor.js';
import type { ToolGateway, ToolVerdict } from '../runtime.js';
import type { HookEvent } from './hook-protocol.js';
import { exitCodeOf, outputOf, preToolUseAnswer, toolHookInput } from './hook-input.js';
import { toolRequestOf } from './tool-map.js';

export interface HookSessionState {
  worktree: string;
  tools: ToolGateway;
  verdicts: Map<string, ToolVerdict>;
  /** Why no call may run any more, once the session is stopping. */
  stopping(): string | undefined;
  /** A verdict that ends the session (a spent budget). */
  onTerminalDenial(verdict: ToolVerdict): void;
  /** Claude gave up: the session ends as a failure with this summary. */
  onGiveUp(summary: string): void;
}

/** The gateway's `budget` rule: once a budget is spent, the session ends instead of going on. */
const terminalRules = new Set(['budget']);

export function hookHandler(state: HookSessionState) {
  let lastDenial: string | undefined;
  return async (event: HookEvent, body: unknown): Promise<Record<string, unknown>> => {
    if (event === 'stop' || event === 'session-start') return {};
    const input = toolHookInput.parse(body);
    if (event === 'pre-tool-use') {
      const command = input.tool_name === 'Bash' ? input.tool_input['command'] : undefined;
      const givenUp = typeof command === 'string' ? giveUpReason(command) : undefined;
      if (givenUp !== undefined) {
        const denied = lastDenial === undefined ? '' : ` (last denied call: ${lastDenial})`;
        state.onGiveUp(`gave up: ${givenUp}${denied}`);
        return preToolUseAnswer({
          callId: input.tool_use_id,
          decision: 'deny',
          policyDecision: 'deny',
          rule: giveUpCommand,
          reason: 'the session ends here, as you asked',
        });
      }
      const stopping = state.stopping();
      const verdict: ToolVerdict =
        stopping === undefined
          ? await state.tools.authorize(
              toolRequestOf(
                input.tool_use_id,
                input.tool_name,
                input.tool_input,
                input.cwd ?? state.worktree,
              ),
            )
          : {
              callId: input.tool_use_id,
              decision: 'deny',
              policyDecision: 'deny',
              rule: 'session',
              reason: `the session is stopping: ${stopping}`,
            };
      state.verdicts.set(input.tool_use_id, verdict);
      if (verdict.decision === 'deny') lastDenial = `${verdict.rule}: ${verdict.reason}`;
      if (verdict.decision === 'deny' && terminalRules.has(verdict.rule)) state.onTerminalDenial(verdict);
      return preToolUseAnswer(verdict);
    }
    // Only calls the gateway let through have a result to record; a denial was recorded already.
    if (state.verdicts.get(input.tool_use_id)?.decision === 'allow') {
      const exitCode = exitCodeOf(input);
      state.tools.report({
        callId: input.tool_use_id,
        status: event === 'post-tool-use' ? 'ok' : 'error',
        output: outputOf(input),
        ...(exitCode === undefined ? {} : { exitCode }),
      });
    }
    return {};
  };
}
