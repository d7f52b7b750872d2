// What `gt hook <event>` (run by Claude Code for each hook) and the session's loopback hook server
// agree on: the events, the environment variables that point the hook at its session, and the
// exit codes. Claude Code reads exit code 2 as "block" for PreToolUse, so every internal failure of
// the pre-tool hook exits 2: a call nobody could judge never runs.

/** Our event names (the `gt hook` argument) and Claude Code's. */
export const hookEvents = {
  'pre-tool-use': 'PreToolUse',
  'post-tool-use': 'PostToolUse',
  'post-tool-use-failure': 'PostToolUseFailure',
  stop: 'Stop',
  'session-start': 'SessionStart',
} as const;
export type HookEvent = keyof typeof hookEvents;

export function isHookEvent(name: string): name is HookEvent {
  return Object.hasOwn(hookEvents, name);
}

/**
 * Where the session serves its hooks: `http://127.0.0.1:8377/__gastown` in the sandbox (the egress
 * gate), `http://127.0.0.1:<port>` on the host.
 */
export const hookUrlEnv = 'GT_HOOK_URL';
/** The session's random token; the hook sends it as `authorization: Bearer <token>`. */
export const hookTokenEnv = 'GT_HOOK_TOKEN';
/** How long the hook waits for the session's answer (an approval may take a while). */
export const hookTimeoutEnv = 'GT_HOOK_TIMEOUT_MS';

/** Claude Code's own timeout for one hook, in seconds; ours (the HTTP wait) ends a minute sooner. */
export const claudeHookTimeoutSeconds = 24 * 60 * 60;
export const defaultHookWaitMs = (claudeHookTimeoutSeconds - 60) * 1000;

export const HookExit = {
  ok: 0,
  /** Not a blocking code: Claude Code shows stderr in its log and goes on. */
  warn: 1,
  /** Blocks the tool call (PreToolUse) and shows stderr to the model. */
  block: 2,
} as const;

/**
 * The exit code for an internal failure. Blocking is fail-closed for the tool hooks, but for Stop
 * exit 2 means "do not stop, keep working": a broken channel would keep the agent looping, so the
 * Stop hook reports its failure without blocking. SessionStart ignores the code either way.
 */
export function failureExit(event: HookEvent): number {
  return event === 'stop' ? HookExit.warn : HookExit.block;
}

/** The path the session serves an event at. */
export const hookPath = (event: HookEvent): string => `/hooks/${event}`;
