// What Claude Code sends each hook on stdin (observed with 2.1.197), validated where the session
// receives it, and what the session answers. Fields we do not use pass through untouched.
import { z } from 'zod';
import type { ToolVerdict } from '../runtime.js';

export const toolHookInput = z.looseObject({
  hook_event_name: z.string(),
  session_id: z.string().optional(),
  cwd: z.string().optional(),
  tool_name: z.string(),
  tool_input: z.record(z.string(), z.unknown()).catch({}),
  tool_use_id: z.string(),
  /** PostToolUse: the tool's own result (Bash: stdout, stderr, interrupted…). */
  tool_response: z.unknown().optional(),
  /** PostToolUseFailure: `Exit code 3`, an exception's message… */
  error: z.string().optional(),
});
export type ToolHookInput = z.infer<typeof toolHookInput>;

const maxOutput = 64 * 1024;

function clip(text: string): string {
  return text.length > maxOutput
    ? `${text.slice(0, maxOutput)}\n… (${text.length - maxOutput} more characters)`
    : text;
}

/** A tool's result as text: Bash's stdout and stderr, else the response as JSON. */
export function outputOf(input: ToolHookInput): string {
  if (input.error !== undefined) return clip(input.error);
  const response = input.tool_response;
  if (typeof response === 'string') return clip(response);
  const bash = z.object({ stdout: z.string(), stderr: z.string() }).safeParse(response);
  if (bash.success) return clip([bash.data.stdout, bash.data.stderr].filter(Boolean).join('\n'));
  return response === undefined ? '' : clip(JSON.stringify(response));
}

/** Bash's exit code: 0 when it succeeded, N for `Exit code N`, else unknown. */
export function exitCodeOf(input: ToolHookInput): number | undefined {
  if (input.tool_name !== 'Bash') return undefined;
  if (input.error === undefined) return 0;
  const code = /^Exit code (\d+)/.exec(input.error)?.[1];
  return code === undefined ? undefined : Number(code);
}

/** The PreToolUse answer Claude Code reads from the hook's stdout. */
export function preToolUseAnswer(verdict: ToolVerdict): Record<string, unknown> {
  const verb = verdict.decision === 'allow' ? 'allowed' : 'denied';
  return {
    hookSpecificOutput: {
      hookEventName: 'PreToolUse',
      permissionDecision: verdict.decision,
      permissionDecisionReason: `${verb} by ${verdict.rule}: ${verdict.reason}`,
    },
  };
}
